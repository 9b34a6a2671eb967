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

  it('uses the five scale points with --full, one run at P=1 above 1M records, unless told otherwise', () => {
    expect(parseOptions(['--full'])).toMatchObject({
      orders: [17_000, 50_000, 170_000, 500_000, 1_700_000],
      runs: 3,
      largeRuns: 1,
      largeParallelisms: [1],
    });
    expect(
      parseOptions(['--full', '--large-runs', '2', '--large-parallelism', '1,2']),
    ).toMatchObject({ largeRuns: 2, largeParallelisms: [1, 2] });
    expect(parseOptions(['--runs', '5'])).toMatchObject({
      largeRuns: 5,
      largeParallelisms: [1, 2],
    });
    expect(parseOptions(['--full', '--orders', '100,200']).orders).toEqual([100, 200]);
  });

  it('names the flag and the bad value', () => {
    expect(() => parseOptions(['--runs', '0'])).toThrow(
      /--runs takes one positive integer, got "0"/,
    );
    expect(() => parseOptions(['--orders', '10,x'])).toThrow(UsageError);
    expect(() => parseOptions(['--parallelism', '4'])).toThrow(/--parallelism accepts 1 and 2/);
    expect(() => parseOptions(['--large-parallelism', '3'])).toThrow(
      /--large-parallelism accepts 1 and 2/,
    );
    expect(() => parseOptions(['--engines', 'spark'])).toThrow(
      /--engines takes weft, flink or weft,flink, got "spark"/,
    );
    expect(() => parseOptions(['--bogus'])).toThrow(
      /Unknown option '--bogus'[\s\S]*usage: npm run bench/,
    );
  });
});
