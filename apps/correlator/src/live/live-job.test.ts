import { CombinedWatermark, CorrelationJob } from '@weft/engine';
import { compileTemplate } from '@weft/templates';
import { describe, expect, it } from 'vitest';
import type { Session } from '@weft/templates';
import type { SinkItem } from '../pipeline/index.js';
import { exampleTemplate, orderRecords } from '../../test/support/example-orders.js';
import { EPOCH_VERSIONS, LiveJob } from './live-job.js';
import type { LiveJobPacing } from './live-job.js';
import { LiveWatermark } from './live-watermark.js';

const template = exampleTemplate;
const wall = 1_795_000_000_000;
const t0 = 1_795_478_446_146;

const order = orderRecords('O1', t0);

function liveJob(epoch: number, pacing: Partial<LiveJobPacing> = { advanceEveryMs: 0 }) {
  const partitions = order.map((r) => `weft.src.${r.source}:0`);
  const watermark = new LiveWatermark(
    new CombinedWatermark({ maxOutOfOrdernessMs: 10_000, idleTimeoutMs: 60_000, partitions }),
    0,
  );
  const compiled = compileTemplate(template);
  return new LiveJob(compiled, watermark, epoch, undefined, pacing);
}

function push(job: LiveJob, record: { source: string; raw: string }, offset: number): SinkItem[] {
  return job.push(
    {
      ...record,
      origin: { topic: `weft.src.${record.source}`, partition: 0, offset: String(offset) },
      partition: `weft.src.${record.source}:0`,
    },
    wall + offset,
  );
}

describe('LiveJob', () => {
  it('fires a session once every baseline step arrived, from the records it was pushed', () => {
    const job = liveJob(0);
    const outputs = order.flatMap((record, i) => push(job, record, i));
    const sessions = outputs.flatMap((item) => (item.kind === 'session' ? [item.session] : []));
    expect(sessions).toHaveLength(1);
    expect(sessions[0]).toMatchObject({ businessKey: 'O1', version: 1, fireReason: 'complete' });
    expect(job.openSessions).toBe(1);
  });

  it('between two clock advances, emits a session changed by several records once (coalesce)', () => {
    const job = liveJob(0, { advanceEveryMs: 1_000, advanceEveryRecords: 1_000 });
    const second = orderRecords('O2', t0 + 1_000);
    // The first record advances the clocks; the next ones are held until the tick.
    const pushed = [...order, ...second].flatMap((record, i) => push(job, record, i));
    expect(pushed.filter((item) => item.kind === 'session')).toEqual([]);
    const ticked = job.tick(wall + 1_000, true);
    const sessions = ticked.flatMap((item) => (item.kind === 'session' ? [item.session] : []));
    expect(sessions.map((s) => [s.businessKey, s.version, s.fireReason])).toEqual([
      ['O1', 1, 'complete'],
      ['O2', 1, 'complete'],
    ]);
  });

  it('advances the clocks after `advanceEveryRecords` records even within the interval', () => {
    const job = liveJob(0, { advanceEveryMs: 60_000, advanceEveryRecords: 4 });
    const outputs = order.flatMap((record, i) => push(job, record, i));
    // The first record advances the clocks; the session completed by the 4th is held, and the
    // next record (4 since the last advance) advances them again, which emits it.
    const next = push(job, orderRecords('O3', t0)[0]!, 10);
    const sessions = [...outputs, ...next].filter((item) => item.kind === 'session');
    expect(sessions).toHaveLength(1);
  });

  it("uses the decoder's parsed value instead of parsing the line again", () => {
    const job = liveJob(0);
    const [first, ...rest] = order;
    const parsed = JSON.parse(first!.raw) as unknown;
    // A raw line the engine could not parse: only the given value makes this record usable.
    const items = job.push(
      {
        source: first!.source,
        raw: 'parsed by the decoder',
        value: parsed,
        origin: { topic: 'weft.src.client_order', partition: 0, offset: '0' },
        partition: 'weft.src.client_order:0',
      },
      wall,
    );
    expect(items.filter((item) => item.kind === 'deadLetter')).toEqual([]);
    const outputs = rest.flatMap((record, i) => push(job, record, i + 1));
    const session = outputs.find((item) => item.kind === 'session');
    expect(session?.kind === 'session' && session.session.nodes.map((n) => n.node)).toContain(
      'client_order',
    );
  });

  it('lifts session versions into its epoch, so a restarted run outranks what the crashed one stored', () => {
    const job = liveJob(3);
    const outputs = order.flatMap((record, i) => push(job, record, i));
    const session = outputs.find((item) => item.kind === 'session');
    expect(session?.kind === 'session' && session.session.version).toBe(3 * EPOCH_VERSIONS + 1);
  });

  it('turns an unusable record into a dead letter with its origin and processing time', () => {
    const job = liveJob(0);
    const [item] = push(job, { source: 'pay_done', raw: '{"order_id":"O2"}' }, 7);
    expect(item?.kind).toBe('deadLetter');
    expect(item?.kind === 'deadLetter' && item.deadLetter).toMatchObject({
      source: 'pay_done',
      origin: { topic: 'weft.src.pay_done', partition: 0, offset: '7' },
      at: wall + 7,
    });
    expect(item?.kind === 'deadLetter' && item.deadLetter.reason).toMatch(/event time/u);
  });

  it('fires final only once the watermark of every partition passed the session', () => {
    const job = liveJob(0);
    order.forEach((record, i) => push(job, record, i));
    const later = orderRecords('O9', t0 + 2 * 60 * 60 * 1_000);
    const finalOf = (items: SinkItem[]) =>
      items.filter(
        (item) =>
          item.kind === 'session' &&
          item.session.businessKey === 'O1' &&
          item.session.fireReason === 'final',
      );
    const firstThree = later.slice(0, 3).flatMap((record, i) => push(job, record, 10 + i));
    expect(finalOf(firstThree)).toEqual([]); // pay_done's partition still holds the watermark back
    const last = push(job, later[3]!, 13);
    expect(finalOf(last)).toHaveLength(1);
  });

  describe("a timeout wave within the sink's room", () => {
    /** 30 orders with only their first record (never complete), one per wall second; the watermark stalls. */
    function stalled(): LiveJob {
      const job = liveJob(0);
      for (let i = 0; i < 30; i++) {
        push(job, orderRecords(`W${i}`, t0 + i * 1_000)[0]!, i * 1_000);
      }
      return job;
    }
    const afterTimeouts = wall + 30_000 + 3 * 60 * 1_000; // every 2-minute timeout is due
    const sessionsOf = (items: SinkItem[]) =>
      items.flatMap((item) => (item.kind === 'session' ? [item.session] : []));

    it('emits the whole wave at once without a bound', () => {
      const wave = sessionsOf(stalled().tick(afterTimeouts, false));
      expect(wave).toHaveLength(30);
      expect(new Set(wave.map((s) => s.fireReason))).toEqual(new Set(['timeout']));
    });

    it('emits at most the room per tick, and the same sessions in the same order over several', () => {
      const whole = sessionsOf(stalled().tick(afterTimeouts, false));
      const job = stalled();
      const portions: number[] = [];
      const spread: Session[] = [];
      for (let tick = 0; tick < 10 && spread.length < whole.length; tick++) {
        const items = sessionsOf(job.tick(afterTimeouts, false, 7));
        portions.push(items.length);
        spread.push(...items);
      }
      expect(portions).toEqual([7, 7, 7, 7, 2]);
      expect(spread).toEqual(whole);
      expect(job.processingTime).toBe(afterTimeouts);
    });

    it('stops the timeouts while the input is held back, and runs them on after', () => {
      const job = stalled();
      const heldFrom = wall + 30_000;
      job.holdClock(true, heldFrom);
      expect(sessionsOf(job.tick(afterTimeouts, false))).toEqual([]);
      job.holdClock(false, afterTimeouts);
      expect(job.timeoutClock(afterTimeouts)).toBe(heldFrom);
      expect(sessionsOf(job.tick(afterTimeouts + 60_000, false))).toEqual([]);
      // 2 min 30 s of unheld time after the last record: every timeout is due.
      const wave = sessionsOf(job.tick(afterTimeouts + 150_000, false));
      expect(wave).toHaveLength(30);
      expect(wave.every((s) => s.fireReason === 'timeout')).toBe(true);
    });

    it('continues the timeouts of a restored job from its checkpoint, not from the wall', () => {
      const before = stalled();
      const snapshot = before.job.snapshot();
      const compiled = compileTemplate(template);
      const watermark = new LiveWatermark(
        new CombinedWatermark({
          maxOutOfOrdernessMs: 10_000,
          idleTimeoutMs: 60_000,
          partitions: order.map((r) => `weft.src.${r.source}:0`),
        }),
        0,
      );
      const restored = new LiveJob(compiled, watermark, 1, (options) =>
        CorrelationJob.restore(compiled, snapshot, options),
      );
      // Down for an hour: the first tick after the restart fires nothing.
      const restart = afterTimeouts + 3_600_000;
      expect(sessionsOf(restored.tick(restart, false))).toEqual([]);
      expect(sessionsOf(restored.tick(restart + 150_000, false))).toHaveLength(30);
    });

    it('lags the clock behind the wall while the wave is under way', () => {
      const job = stalled();
      job.tick(afterTimeouts, false, 7);
      expect(job.processingTime).toBeLessThan(afterTimeouts);
      expect(job.processingTime).toBeGreaterThan(wall);
    });
  });
});
