import { describe, expect, it } from 'vitest';
import {
  prepareComparison,
  prepareDrilldown,
  preparePercentiles,
  prepareVolume,
} from './prepare-charts';
import { bucketStarts, previousWindow, rangeFor } from './time-range';
import type { TimeWindow } from './time-range';
import type { DashboardPoint } from './types';

const H = 3_600_000;
const T0 = Date.UTC(2026, 10, 24, 0, 0, 0);
const window: TimeWindow = { from: T0, to: T0 + 4 * H, grain: 'hour' };

function point(
  hour: number,
  dims: DashboardPoint['dimensions'],
  sessions: number,
  measures = {},
): DashboardPoint {
  return { bucketStart: T0 + hour * H, dimensions: dims, sessions, measures };
}

describe('rangeFor / previousWindow', () => {
  it('aligns to the grain and includes the current bucket', () => {
    const w = rangeFor('24h', T0 + 10 * H + 30 * 60_000);
    expect(w).toEqual({ from: T0 + 11 * H - 24 * H, to: T0 + 11 * H, grain: 'hour' });
    expect(bucketStarts(w)).toHaveLength(24);
    expect(rangeFor('90d', T0 + 5).grain).toBe('day');
    expect(bucketStarts(rangeFor('30d', T0 + 5))).toHaveLength(30);
    expect(previousWindow(w)).toEqual({ from: w.from - 24 * H, to: w.from, grain: 'hour' });
  });
});

describe('prepareVolume', () => {
  it('fills empty buckets with zero and stacks one series per verdict, largest first', () => {
    const chart = prepareVolume(
      [
        point(0, { $verdict: 'ok' }, 10),
        point(0, { $verdict: 'paid_not_delivered' }, 2),
        point(2, { $verdict: 'ok' }, 5),
        point(3, { $verdict: null }, 1),
        point(9, { $verdict: 'ok' }, 100),
      ],
      window,
      '$verdict',
    );
    expect(chart.labels).toEqual(['11-24 00:00', '11-24 01:00', '11-24 02:00', '11-24 03:00']);
    expect(chart.series).toEqual([
      { name: 'ok', values: [10, 0, 5, 0] },
      { name: 'paid_not_delivered', values: [2, 0, 0, 0] },
      { name: '(none)', values: [0, 0, 0, 1] },
    ]);
    expect(chart.total).toBe(18);
    expect(chart.unit).toBe('sessions');
  });

  it('gives an empty series list (not a crash) when there is no data', () => {
    const chart = prepareVolume([], window, '$verdict');
    expect(chart.series).toEqual([]);
    expect(chart.labels).toHaveLength(4);
  });
});

describe('prepareDrilldown', () => {
  it('sums per dimension value and computes the anomaly rate', () => {
    const rows = prepareDrilldown(
      [
        point(0, { channel: 'alipay', $verdict: 'ok' }, 8),
        point(1, { channel: 'alipay', $verdict: 'callback_missing' }, 2),
        point(1, { channel: 'wechat', $verdict: 'ok' }, 3),
      ],
      'channel',
    );
    expect(rows).toEqual([
      { value: 'alipay', sessions: 10, anomalies: 2, anomalyRate: 20 },
      { value: 'wechat', sessions: 3, anomalies: 0, anomalyRate: 0 },
    ]);
  });
});

describe('preparePercentiles', () => {
  it('leaves empty buckets null and switches to seconds for long latencies', () => {
    const chart = preparePercentiles(
      [
        point(0, { channel: 'a' }, 1, { 'p95(lat)': 12_000, 'p50(lat)': 4_000 }),
        point(0, { channel: 'b' }, 1, { 'p95(lat)': 20_000, 'p50(lat)': null }),
        point(2, {}, 1, { 'p95(lat)': 9_000 }),
      ],
      window,
      ['p50(lat)', 'p95(lat)'],
    );
    expect(chart.unit).toBe('s');
    expect(chart.series).toEqual([
      { name: 'p50(lat)', values: [4, null, null, null] },
      { name: 'p95(lat)', values: [20, null, 9, null] },
    ]);
  });

  it('keeps milliseconds for short latencies', () => {
    const chart = preparePercentiles([point(1, {}, 1, { 'p99(x)': 850 })], window, ['p99(x)']);
    expect(chart.unit).toBe('ms');
    expect(chart.series[0]?.values).toEqual([null, 850, null, null]);
  });
});

describe('prepareComparison', () => {
  it('compares anomaly rates bucket by bucket and overall', () => {
    const before = previousWindow(window);
    const chart = prepareComparison(
      [point(0, { $verdict: 'ok' }, 3), point(0, { $verdict: 'double_delivery' }, 1)],
      [
        { bucketStart: before.from, dimensions: { $verdict: 'ok' }, sessions: 9, measures: {} },
        { bucketStart: before.from + H, dimensions: { $verdict: 'ok' }, sessions: 1, measures: {} },
      ],
      window,
      before,
    );
    expect(chart.current).toEqual([25, null, null, null]);
    expect(chart.previous).toEqual([0, 0, null, null]);
    expect(chart.currentRate).toBe(25);
    expect(chart.previousRate).toBe(0);
    expect(chart.change).toBe(25);
  });
});
