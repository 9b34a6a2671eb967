import { describe, expect, it } from 'vitest';
import { paced } from './pacing.js';
import { RecordEvent } from './pipeline.js';
import type { SimEvent } from './simulation.js';

function fakeClock() {
  let now = 1_000;
  const sleeps: number[] = [];
  return {
    now: () => now,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
    sleeps,
    elapsed: () => now - 1_000,
  };
}

const records = (n: number): SimEvent[] =>
  Array.from({ length: n }, (_, i) => new RecordEvent('s', null, i, `line ${String(i)}`));

describe('paced', () => {
  it('releases records at the target rate without real waiting', async () => {
    const clock = fakeClock();
    const out: SimEvent[] = [];
    for await (const batch of paced(records(21), { recordsPerSecond: 10, ...clock }))
      out.push(...batch);
    expect(out).toEqual(records(21));
    // Record 20 is due 2 s after record 0.
    expect(clock.elapsed()).toBe(2000);
    expect(clock.sleeps.every((ms) => ms > 0)).toBe(true);
  });

  it('sends batches of at most maxBatch records when the rate is unreachable', async () => {
    const clock = fakeClock();
    const sizes: number[] = [];
    for await (const batch of paced(records(1000), {
      recordsPerSecond: 1e12,
      maxBatch: 100,
      ...clock,
    })) {
      sizes.push(batch.length);
    }
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(1000);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(100);
  });
});
