import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MeasureState } from './measure-state.js';
import { addValue, aggregate, emptyMeasure } from './measure-state.js';
import { aggregateSummary, summarize } from './rollup-summary.js';

const runs = Number(process.env.WEFT_PROPERTY_RUNS ?? 200);
const AGGS = ['count', 'sum', 'avg', 'min', 'max', 'p50', 'p95', 'p99'] as const;

describe('rollup summaries', () => {
  it('answer every aggregation exactly as the full measure state does', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e9, max: 1e9 })),
        (values) => {
          const state: MeasureState = emptyMeasure();
          for (const value of values) addValue(state, value);
          const summary = summarize({ amount: state }).amount;
          for (const agg of AGGS)
            expect(aggregateSummary(summary, agg)).toBe(aggregate(state, agg));
        },
      ),
      { numRuns: runs },
    );
  });

  it('answers a missing measure as no values', () => {
    expect(aggregateSummary(undefined, 'count')).toBe(0);
    expect(aggregateSummary(undefined, 'p95')).toBeNull();
  });
});
