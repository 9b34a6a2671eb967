import { createSimulation, topicOf } from '@weft/simulator';
import type { DimensionTable, RecordEvent } from '@weft/simulator';
import type { KafkaProducer, OutgoingMessage } from '../kafka/index.js';

const HOUR = 3_600_000;

export interface LiveTrafficOptions {
  scenario: string;
  /** New orders per minute (each hour's orders spread evenly over it). */
  ordersPerMinute: number;
  seed: number;
  /** Index of the first order (`firstOrder`): ids after every earlier batch's. */
  firstOrder: number;
  /** Event time of the first hour's start, epoch ms (normally now). */
  start: number;
  producer: Pick<KafkaProducer, 'send'>;
  topicPrefix: string;
  now: () => number;
  /** Stops the traffic; the promise resolves after the records already due are sent. */
  signal: AbortSignal;
  /** Called when hour `hour` begins, with the first order index it uses (to persist the next free one). */
  onHour?: (hour: number, firstOrder: number, orders: number) => void;
  /** Longest wait between two looks at the clock. Default 1 000 ms. */
  maxSleepMs?: number;
  /** Waits `ms` or until `signal` aborts (tests pass a fake clock's). */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

/**
 * Live simulated traffic: the simulator's records, produced to
 * `<prefix><source>` at their arrival time on the wall clock, until `signal`
 * aborts. Traffic is generated hour by hour (`ordersPerMinute × 60` orders
 * starting within each hour, the seed plus the hour's number for the
 * sessions and the seed for the world, ids from `firstOrder` on and never
 * reused across hours); an hour's stragglers (late
 * and retried records arrive long after their session started) are merged
 * by arrival with the next hours' records. Each record's Kafka key is the id
 * its system knows it by, as `weft simulate --kafka` sends it.
 *
 * @example await runLiveTraffic({ scenario: 'in-app-purchase', ordersPerMinute: 60, seed: 1, firstOrder: 2000, start: Date.now(), producer, topicPrefix: 'weft.demo.', now: Date.now, signal });
 */
export async function runLiveTraffic(options: LiveTrafficOptions): Promise<{ produced: number }> {
  const records = arrivalsAcrossHours(options);
  let produced = 0;
  let pending = records.next();
  while (!options.signal.aborted && pending.done !== true) {
    const due: RecordEvent[] = [];
    while (pending.done !== true && pending.value.arrival <= options.now()) {
      due.push(pending.value);
      pending = records.next();
    }
    if (due.length > 0) {
      await sendByTopic(options, due);
      produced += due.length;
      continue;
    }
    if (pending.done === true) break;
    const waitMs = Math.min(options.maxSleepMs ?? 1_000, pending.value.arrival - options.now());
    await (options.sleep ?? sleep)(Math.max(1, waitMs), options.signal);
  }
  return { produced };
}

/**
 * The dimension tables (e.g. `item_catalog`) of the traffic's world: the same
 * for every hour, so loaded once before the traffic starts.
 */
export function liveTrafficDimensions(
  options: Pick<LiveTrafficOptions, 'scenario' | 'ordersPerMinute' | 'seed'>,
): readonly DimensionTable[] {
  return createSimulation({
    scenario: options.scenario,
    orders: ordersPerHour(options.ordersPerMinute),
    seed: options.seed,
    worldSeed: options.seed,
  }).dimensions;
}

const ordersPerHour = (ordersPerMinute: number): number =>
  Math.max(1, Math.round(ordersPerMinute * 60));

/** The records of every hour, in arrival order (ties by hour, then generation order). */
function* arrivalsAcrossHours(options: LiveTrafficOptions): Generator<RecordEvent> {
  const orders = ordersPerHour(options.ordersPerMinute);
  const active: { hour: number; events: Iterator<RecordEvent>; head: RecordEvent }[] = [];
  let nextHour = 0;
  const startHour = (): void => {
    const hour = nextHour;
    nextHour += 1;
    const firstOrder = options.firstOrder + hour * orders;
    options.onHour?.(hour, firstOrder, orders);
    const events = recordsOf(
      createSimulation({
        scenario: options.scenario,
        orders,
        // Sessions differ hour by hour; players and the catalog stay (`liveTrafficDimensions`).
        seed: (options.seed + hour) % 0x1_0000_0000,
        worldSeed: options.seed,
        start: options.start + hour * HOUR,
        spanHours: 1,
        firstOrder,
      }).events(),
    );
    const first = events.next();
    if (first.done !== true) active.push({ hour, events, head: first.value });
  };
  startHour();
  for (;;) {
    let earliest = active[0];
    for (const chunk of active) {
      if (earliest === undefined || chunk.head.arrival < earliest.head.arrival) earliest = chunk;
    }
    // No record arrives before its session starts: an hour starts once nothing comes before it.
    if (earliest === undefined || options.start + nextHour * HOUR <= earliest.head.arrival) {
      startHour();
      continue;
    }
    yield earliest.head;
    const next = earliest.events.next();
    if (next.done === true) active.splice(active.indexOf(earliest), 1);
    else earliest.head = next.value;
  }
}

function* recordsOf(events: Iterator<{ type: string }>): Generator<RecordEvent> {
  for (let next = events.next(); next.done !== true; next = events.next()) {
    if (next.value.type === 'record') yield next.value as RecordEvent;
  }
}

async function sendByTopic(options: LiveTrafficOptions, records: readonly RecordEvent[]) {
  const byTopic = new Map<string, OutgoingMessage[]>();
  for (const record of records) {
    const topic = topicOf(record.source, options.topicPrefix);
    const messages = byTopic.get(topic) ?? [];
    messages.push({ key: record.key, value: record.line, timestamp: record.arrival });
    byTopic.set(topic, messages);
  }
  for (const [topic, messages] of byTopic) await options.producer.send(topic, messages);
}

/** Resolves after `ms`, or at once when `signal` aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
