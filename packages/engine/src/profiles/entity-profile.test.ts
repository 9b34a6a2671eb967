import { describe, expect, it } from 'vitest';
import type { ProfileSpec } from './profile-spec.js';
import { ProfileStore } from './profile-store.js';

// Buckets of 1, 10 and 100; a 240-wide window reads tier 1 (g = 10) from a
// fixed `from` while its `to` moves by 1: the reads the cached union extends.
const spec: ProfileSpec = {
  entities: [
    {
      id: 'account',
      features: [
        {
          name: 'devices',
          aggregate: 'distinct',
          field: 'device',
          window: { last: 240, offset: 0 },
        },
      ],
    },
    { id: 'other', features: [] },
  ],
  granularities: [1, 10, 100],
  queryLag: 40,
};

type Step = readonly ['observe', string, number, number, number] | readonly ['read', number];

/** Runs the steps on a store, returning what each read answered; `observe` adds `count` devices numbered from `first`. */
function run(steps: readonly Step[]): number[] {
  const store = new ProfileStore(spec);
  const answers: number[] = [];
  for (const step of steps) {
    if (step[0] === 'read') {
      answers.push(store.featuresAsOf('account', 'A', step[1]).devices as number);
      continue;
    }
    const [, kind, time, first, count] = step;
    for (let d = first; d < first + count; d++) store.observe(kind, 'A', time, { device: `D${d}` });
  }
  return answers;
}

/** The answer of a store that saw the same observations and was read only once, at `t`. */
function fresh(steps: readonly Step[], t: number): number {
  return run([...steps.filter((s) => s[0] === 'observe'), ['read', t]]).at(-1) as number;
}

describe('EntityProfile distinct reads (cached HyperLogLog union)', () => {
  // Past 64 values a union is a HyperLogLog and is kept for the next read.
  const dense: Step[] = [
    ['observe', 'account', 995, 0, 100],
    ['read', 1005],
  ];

  it('drops the cached union when an observation lands in a bucket it covers', () => {
    const steps: Step[] = [...dense, ['observe', 'account', 1000, 100, 100], ['read', 1005]];
    const answers = run(steps);
    expect(answers[1]).toBe(fresh(steps, 1005));
    expect(answers[1]).toBeGreaterThan(answers[0]! + 50);
  });

  it('drops the cached union when compaction moves a bucket, even one after its range', () => {
    // Buckets 1005 and 1006 (after the cached range [760, 1005)) move at frontier 1048
    // into the tier-1 bucket starting at 1000, inside it: extending would miss them.
    const steps: Step[] = [
      ...dense,
      ['observe', 'account', 1005, 100, 100],
      ['observe', 'account', 1006, 200, 100],
      ['observe', 'other', 1048, 0, 1],
      ['read', 1009],
    ];
    const answers = run(steps);
    expect(answers[1]).toBe(fresh(steps, 1009));
    expect(answers[1]).toBeGreaterThan(answers[0]! + 150);
  });

  it('extends the cached union with the buckets a later read adds', () => {
    const steps: Step[] = [
      ...dense,
      ['observe', 'account', 1005, 100, 100],
      ['read', 1006],
      ['observe', 'account', 1006, 200, 100],
      ['read', 1007],
    ];
    const answers = run(steps);
    expect(answers[1]).toBe(fresh(steps.slice(0, 4), 1006));
    expect(answers[2]).toBe(fresh(steps, 1007));
    expect(answers[2]).toBeGreaterThan(answers[1]! + 50);
  });
});
