import { createSimulation } from '@weft/simulator';
import type { RecordEvent } from '@weft/simulator';
import { describe, expect, it } from 'vitest';
import type { OutgoingMessage } from '../kafka/index.js';
import { runLiveTraffic } from './live-traffic.js';

const HOUR = 3_600_000;
const START = Date.UTC(2026, 10, 25, 8, 0, 0);

/** A clock that jumps to whatever a sleep waits for, so hours of traffic run at once. */
function fakeClock(start: number) {
  let now = start;
  return {
    now: () => now,
    advance: (ms: number) => (now += ms),
  };
}

/**
 * Runs the traffic on a fake clock until it passes `until`; returns what was
 * sent, with the clock's time at each send.
 */
async function trafficUntil(until: number, ordersPerMinute = 2) {
  const clock = fakeClock(START);
  const sent: { topic: string; message: OutgoingMessage; at: number }[] = [];
  const hours: [number, number, number][] = [];
  const stop = new AbortController();
  await runLiveTraffic({
    scenario: 'in-app-purchase',
    ordersPerMinute,
    seed: 9,
    firstOrder: 500,
    start: START,
    producer: {
      send: (topic, messages) => {
        for (const message of messages) sent.push({ topic, message, at: clock.now() });
        return Promise.resolve();
      },
    },
    topicPrefix: 'demo.',
    now: () => {
      if (clock.now() >= until) stop.abort();
      return clock.now();
    },
    signal: stop.signal,
    maxSleepMs: 0,
    onHour: (hour, first, orders) => hours.push([hour, first, orders]),
    sleep: (ms) => {
      clock.advance(ms);
      return Promise.resolve();
    },
  });
  return { sent, hours };
}

function recordsOfHour(hour: number, ordersPerMinute = 2): RecordEvent[] {
  const orders = ordersPerMinute * 60;
  return [
    ...createSimulation({
      scenario: 'in-app-purchase',
      orders,
      seed: 9 + hour,
      worldSeed: 9,
      start: START + hour * HOUR,
      spanHours: 1,
      firstOrder: 500 + hour * orders,
    }).events(),
  ].filter((event): event is RecordEvent => event.type === 'record');
}

describe('runLiveTraffic', () => {
  it('sends every record no earlier than its arrival, in arrival order, stamped with it', async () => {
    const { sent } = await trafficUntil(START + 30 * 60_000);
    expect(sent.length).toBeGreaterThan(100);
    for (const { message, at } of sent) expect(at).toBeGreaterThanOrEqual(message.timestamp ?? 0);
    const times = sent.map(({ message }) => message.timestamp ?? 0);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(sent.every(({ topic }) => topic.startsWith('demo.'))).toBe(true);
  });

  it("sends each hour's simulation from its first order index, keyed, merged across hours by arrival", async () => {
    const { sent, hours } = await trafficUntil(START + 2.5 * HOUR);
    expect(hours.slice(0, 3)).toEqual([
      [0, 500, 120],
      [1, 620, 120],
      [2, 740, 120],
    ]);
    const expected = [...recordsOfHour(0), ...recordsOfHour(1)]
      .filter((record) => record.arrival < START + 2 * HOUR)
      .map((record) => `${record.key}|${record.line}`)
      .sort();
    const got = sent
      .filter(({ message }) => (message.timestamp ?? 0) < START + 2 * HOUR)
      .map(({ message }) => `${String(message.key)}|${String(message.value)}`)
      .sort();
    expect(got).toEqual(expected);
  });

  it('stops at once when its signal aborts', async () => {
    const stop = new AbortController();
    stop.abort();
    const result = await runLiveTraffic({
      scenario: 'bank-transfer',
      ordersPerMinute: 60,
      seed: 1,
      firstOrder: 0,
      start: START,
      producer: { send: () => Promise.reject(new Error('nothing is sent after a stop')) },
      topicPrefix: 'demo.',
      now: () => START + HOUR,
      signal: stop.signal,
    });
    expect(result.produced).toBe(0);
  });
});
