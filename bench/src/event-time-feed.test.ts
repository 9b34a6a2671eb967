import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { feedInEventTimeOrder } from './event-time-feed.js';

const runs = Math.min(50, Number(process.env.WEFT_PROPERTY_RUNS ?? 200));
const dir = mkdtempSync(join(tmpdir(), 'weft-feed-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Files whose lines lag their running maximum by at most `bound`: an increasing base plus a jitter. */
const file = (bound: number) =>
  fc
    .array(fc.tuple(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: bound })), {
      maxLength: 60,
    })
    .map((steps) => {
      let base = 0;
      return steps.map(([step, jitter]) => (base += step) - jitter);
    });

describe('feedInEventTimeOrder', () => {
  it('declares event time complete only once every line up to it was delivered, ending at +∞', async () => {
    const bound = 30;
    let round = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(file(bound), { minLength: 1, maxLength: 4 }), async (files) => {
        const sub = join(dir, String(round++));
        const sources = files.map((_, i) => `s${String(i)}`);
        const { mkdirSync } = await import('node:fs');
        mkdirSync(sub);
        files.forEach((ts, i) =>
          writeFileSync(
            join(sub, `${sources[i]!}.ndjson`),
            ts.map((t) => `{"t":${String(t)}}\n\n`).join(''),
          ),
        );
        const delivered: number[][] = files.map(() => []);
        const declared: number[] = [];
        const { recordsIn } = await feedInEventTimeOrder(
          { dir: sub, sources, outOfOrdernessMs: bound, chunkBytes: 16 },
          {
            lines: (_source, rank, firstSeq, lines) => {
              expect(firstSeq).toBe(delivered[rank]!.length);
              const ts = lines.map((l) => (JSON.parse(l) as { t: number }).t);
              for (const t of ts) {
                if (declared.length > 0) expect(t).toBeGreaterThan(declared.at(-1)!);
                delivered[rank]!.push(t);
              }
              return Math.max(Number.NEGATIVE_INFINITY, ...ts);
            },
            complete: (ts) => {
              if (declared.length > 0) expect(ts).toBeGreaterThan(declared.at(-1)!);
              declared.push(ts);
            },
          },
        );
        expect(delivered).toEqual(files);
        expect(recordsIn).toBe(files.flat().length);
        expect(declared.at(-1)).toBe(Number.POSITIVE_INFINITY);
      }),
      { numRuns: runs },
    );
  });

  it('reads a missing file as empty', async () => {
    writeFileSync(join(dir, 'present.ndjson'), '{"t":1}\n');
    const seen: string[] = [];
    const { recordsIn } = await feedInEventTimeOrder(
      { dir, sources: ['absent', 'present'], outOfOrdernessMs: 0 },
      { lines: (source) => (seen.push(source), 1), complete: () => undefined },
    );
    expect(recordsIn).toBe(1);
    expect(seen).toEqual(['present']);
  });
});
