import { describe, expect, it } from 'vitest';
import { parseSampleLines } from './sample-lines';

describe('parseSampleLines', () => {
  it('splits each line into source and the record exactly as typed', () => {
    const { samples, error } = parseSampleLines(
      'checkout {"ts":1, "order_id":"O1"}\n\n  pay_done\t{"ts":2}  \n',
    );
    expect(error).toBeNull();
    expect(samples).toEqual([
      { source: 'checkout', raw: '{"ts":1, "order_id":"O1"}', parsed: { ts: 1, order_id: 'O1' } },
      { source: 'pay_done', raw: '{"ts":2}', parsed: { ts: 2 } },
    ]);
  });

  it('keeps a broken record for the engine to dead-letter', () => {
    const { samples, error } = parseSampleLines('checkout {"ts":');
    expect(error).toBeNull();
    expect(samples).toEqual([{ source: 'checkout', raw: '{"ts":', parsed: undefined }]);
  });

  it('names the line that has no source id', () => {
    const { samples, error } = parseSampleLines('checkout {}\n{"ts":1}');
    expect(samples).toHaveLength(1);
    expect(error).toBe('sample line 2: write "<source id> <JSON record>"');
  });
});
