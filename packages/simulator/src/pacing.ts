import type { SimEvent } from './simulation.js';

/** Real-time pacing: records per second, and the clock and sleep to keep it (injected so tests don't wait). */
export interface Pacing {
  readonly recordsPerSecond: number;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  /** Most records per yielded batch. Default 500. */
  readonly maxBatch?: number;
}

/**
 * Yields the events in batches so that record `i` is released no earlier
 * than `t0 + i / recordsPerSecond`; truth events ride along uncounted. When
 * the consumer is slower than the rate, batches grow (up to `maxBatch`) to
 * catch up. Example:
 * `for await (const batch of paced(sim.events(), { recordsPerSecond: 200, now: Date.now, sleep })) …`
 */
export async function* paced(
  events: Iterable<SimEvent>,
  pacing: Pacing,
): AsyncGenerator<SimEvent[]> {
  const maxBatch = pacing.maxBatch ?? 500;
  const interval = 1000 / pacing.recordsPerSecond;
  const t0 = pacing.now();
  let released = 0;
  let batch: SimEvent[] = [];
  let inBatch = 0;
  for (const event of events) {
    if (event.type === 'record') {
      const due = t0 + released * interval;
      const wait = due - pacing.now();
      if ((wait > 0 || inBatch >= maxBatch) && batch.length > 0) {
        yield batch;
        batch = [];
        inBatch = 0;
      }
      if (wait > 0) await pacing.sleep(wait);
      released += 1;
      inBatch += 1;
    }
    batch.push(event);
  }
  if (batch.length > 0) yield batch;
}
