import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitLines } from './line-splitter.js';
import type { Line } from './line-splitter.js';

async function collect(chunks: (string | Buffer)[], max = 1_000): Promise<Line[]> {
  const lines: Line[] = [];
  for await (const line of splitLines(chunks, max)) lines.push(line);
  return lines;
}

const text = (lines: Line[]) => lines.map((l) => [l.number, l.bytes.toString()]);

describe('splitLines', () => {
  it('splits on \\n and \\r\\n across chunk boundaries, numbering lines from 1', async () => {
    const lines = await collect(['{"a":1}\r', '\n{"b"', ':2}\n{"c":3}']);
    expect(text(lines)).toEqual([
      [1, '{"a":1}'],
      [2, '{"b":2}'],
      [3, '{"c":3}'],
    ]);
  });

  it('skips blank lines but keeps counting them', async () => {
    const lines = await collect(['\n  \n{"a":1}\n\r\n\t\n{"b":2}\n\n']);
    expect(text(lines)).toEqual([
      [3, '{"a":1}'],
      [6, '{"b":2}'],
    ]);
  });

  it('truncates an oversized line, marks it, and carries on with the next line', async () => {
    const big = 'x'.repeat(50);
    const lines = await collect([big.slice(0, 20), big.slice(20), '\n{"ok":1}\n'], 10);
    expect(lines[0]).toEqual({
      number: 1,
      bytes: Buffer.from('x'.repeat(10)),
      oversized: { totalBytes: 50 },
    });
    expect(text(lines.slice(1))).toEqual([[2, '{"ok":1}']]);
  });

  it('accepts a line of exactly the cap, even with \\r\\n', async () => {
    const lines = await collect(['0123456789\r\n0123456789A\n'], 10);
    expect(lines[0]).toEqual({ number: 1, bytes: Buffer.from('0123456789') });
    expect(lines[1]?.oversized).toEqual({ totalBytes: 11 });
  });

  it('does not split multi-byte UTF-8 characters cut by chunk boundaries', async () => {
    const bytes = Buffer.from('{"name":"支付完成"}\n');
    const lines = await collect([bytes.subarray(0, 11), bytes.subarray(11)]);
    expect(lines[0]?.bytes.toString('utf8')).toBe('{"name":"支付完成"}');
  });

  it('matches a naive split however the stream is chunked (property)', async () => {
    const runs = Number(process.env.WEFT_PROPERTY_RUNS ?? 200);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.stringMatching(/^[a-z{}":,\r ]{0,12}$/), { maxLength: 8 }),
        fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 5 }),
        async (rawLines, cuts) => {
          const whole = rawLines.join('\n');
          const chunks: string[] = [];
          let at = 0;
          for (let i = 0; at < whole.length; i += 1) {
            const size = cuts[i % cuts.length] ?? 1;
            chunks.push(whole.slice(at, at + size));
            at += size;
          }
          // Naive oracle: split everything at once.
          const expected = whole
            .split('\n')
            .map((line, index) => [index + 1, line.replace(/\r$/u, '')] as const)
            .filter(([, line]) => line.trim() !== '');
          expect(text(await collect(chunks))).toEqual(expected);
        },
      ),
      { numRuns: runs },
    );
  });
});
