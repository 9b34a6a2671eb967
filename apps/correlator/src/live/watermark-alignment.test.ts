import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { partitionsAhead } from './watermark-alignment.js';

describe('partitionsAhead', () => {
  it('pauses the partitions more than the drift ahead of the slowest backlogged one', () => {
    const watermarks = new Map([
      ['a:0', 10_000],
      ['a:1', 19_999],
      ['b:0', 20_001],
      ['b:1', 90_000],
    ]);
    expect(
      partitionsAhead({ watermarks, backlogged: new Set(['a:0', 'b:1']), maxDriftMs: 10_000 }),
    ).toEqual(new Set(['b:0', 'b:1']));
  });

  it('lets a partition at its end offset, idle or unread not set the pace', () => {
    const watermarks = new Map([
      ['a:0', 0], // read to its end: not backlogged
      ['b:0', 50_000],
      ['c:0', 52_000],
    ]);
    // 'd:0' is backlogged but has no watermark yet (unread, or idle).
    const backlogged = new Set(['b:0', 'c:0', 'd:0']);
    expect(partitionsAhead({ watermarks, backlogged, maxDriftMs: 1_000 })).toEqual(
      new Set(['c:0']),
    );
    expect(
      partitionsAhead({ watermarks, backlogged: new Set(['d:0']), maxDriftMs: 1_000 }),
    ).toEqual(new Set());
  });

  it('never pauses the partition that sets the pace, and pauses only those beyond the drift', () => {
    const name = fc.constantFrom('a:0', 'a:1', 'b:0', 'b:1', 'c:0');
    fc.assert(
      fc.property(
        fc.dictionary(name, fc.integer({ min: -1_000_000, max: 1_000_000 })),
        fc.uniqueArray(name),
        fc.integer({ min: 0, max: 100_000 }),
        (entries, backloggedList, maxDriftMs) => {
          const watermarks = new Map(Object.entries(entries));
          const backlogged = new Set(backloggedList);
          const ahead = partitionsAhead({ watermarks, backlogged, maxDriftMs });
          const paced = backloggedList.filter((p) => watermarks.has(p));
          if (paced.length === 0) {
            expect(ahead.size).toBe(0);
            return;
          }
          const pace = Math.min(...paced.map((p) => watermarks.get(p) ?? 0));
          // Some backlogged partition can always be read: the run never stalls.
          expect(paced.some((p) => !ahead.has(p))).toBe(true);
          for (const [p, watermark] of watermarks) {
            expect(ahead.has(p)).toBe(watermark > pace + maxDriftMs);
          }
        },
      ),
    );
  });
});
