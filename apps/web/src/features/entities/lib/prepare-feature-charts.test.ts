import { describe, expect, it } from 'vitest';
import type { EntityKindView } from './entity-kinds';
import { featureChartOption, prepareFeatureCharts } from './prepare-feature-charts';

const HOUR = 3_600_000;
const account: EntityKindView = {
  id: 'account',
  label: 'Account',
  field: 'account_id',
  features: [
    {
      name: 'payments_1h',
      agg: 'count',
      sessionField: 'entity.account.payments_1h',
      title: 'payments_1h',
      unit: 'sessions',
    },
    {
      name: 'last_paid_before_24h',
      agg: 'last_seen',
      sessionField: 'entity.account.last_paid_before_24h',
      title: 'Most recent payment older than 24 hours',
      unit: 'hours before the session',
    },
  ],
};

describe('prepareFeatureCharts', () => {
  it('draws one chart per feature, oldest first, with gaps where a session lacks the value', () => {
    const t0 = 1_764_000_000_000;
    const charts = prepareFeatureCharts(account, [
      { time: t0 + 2 * HOUR, sessionId: 's3', values: { payments_1h: 3 } },
      {
        time: t0,
        sessionId: 's1',
        values: { payments_1h: 1, last_paid_before_24h: t0 - 30 * HOUR },
      },
      {
        time: t0 + HOUR,
        sessionId: 's2',
        values: { payments_1h: '2', last_paid_before_24h: null },
      },
    ]);
    expect(charts.map((c) => c.feature)).toEqual(['payments_1h', 'last_paid_before_24h']);
    const [count, lastSeen] = charts;
    expect(count!.points).toEqual([
      [t0, 1],
      [t0 + HOUR, 2],
      [t0 + 2 * HOUR, 3],
    ]);
    expect(count!.latest).toBe(3);
    expect(count!.observed).toBe(3);
    // last_seen is a time: plotted as its age at the session, in hours.
    expect(lastSeen!.points).toEqual([
      [t0, 30],
      [t0 + HOUR, null],
      [t0 + 2 * HOUR, null],
    ]);
    expect(lastSeen!.latest).toBe(30);
    expect(lastSeen!.observed).toBe(1);
  });

  it('gives empty charts (no points, no latest value) for an entity without sessions', () => {
    const charts = prepareFeatureCharts(account, []);
    expect(charts).toHaveLength(2);
    expect(
      charts.every((c) => c.points.length === 0 && c.latest === null && c.observed === 0),
    ).toBe(true);
  });

  it('keeps non-numeric values out of the line', () => {
    const [count] = prepareFeatureCharts(account, [
      { time: 1, sessionId: 'a', values: { payments_1h: 'n/a' } },
      { time: 2, sessionId: 'b', values: { payments_1h: true } },
    ]);
    expect(count!.points).toEqual([
      [1, null],
      [2, null],
    ]);
  });

  it('builds a time-axis line with the unit on the value axis and gaps not bridged', () => {
    const [count] = prepareFeatureCharts(account, [
      { time: 5, sessionId: 'a', values: { payments_1h: 4 } },
    ]);
    const option = featureChartOption(count!);
    expect(option.xAxis).toMatchObject({ type: 'time' });
    expect(option.yAxis).toMatchObject({ name: 'sessions' });
    expect(option.series).toEqual([
      expect.objectContaining({ type: 'line', data: [[5, 4]], connectNulls: false }),
    ]);
  });
});
