import { describe, expect, it } from 'vitest';
import { UsageError, parseOptions } from './options.js';

describe('parseOptions', () => {
  it('defaults to the quick run: 50,000 orders, 3 runs, parallelism 1 and 2', () => {
    expect(parseOptions([])).toMatchObject({
      mode: 'quick',
      orders: [50_000],
      runs: 3,
      parallelisms: [1, 2],
      compare: true,
      packages: true,
    });
  });

  it('uses the three scale points with --full unless --orders is given', () => {
    expect(parseOptions(['--full']).orders).toEqual([17_000, 170_000]);
    expect(parseOptions(['--full', '--orders', '100,200']).orders).toEqual([100, 200]);
  });

  it('names the flag and the bad value', () => {
    expect(() => parseOptions(['--runs', '0'])).toThrow(
      /--runs takes one positive integer, got "0"/,
    );
    expect(() => parseOptions(['--orders', '10,x'])).toThrow(UsageError);
    expect(() => parseOptions(['--parallelism', '4'])).toThrow(/--parallelism accepts 1 and 2/);
    expect(() => parseOptions(['--bogus'])).toThrow(
      /Unknown option '--bogus'[\s\S]*usage: npm run bench/,
    );
  });
});
