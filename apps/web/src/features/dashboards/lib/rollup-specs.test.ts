import { describe, expect, it } from 'vitest';
import { purchaseTemplate } from '@/features/session/lib/fixtures';
import { dashboardRollupSpecs } from './rollup-specs';

describe('dashboardRollupSpecs', () => {
  it('rolls up each drill-down dimension with the verdict and the latency measures', () => {
    expect(dashboardRollupSpecs(purchaseTemplate().dashboards)).toEqual([
      {
        dimensions: ['channel', '$verdict'],
        measures: [{ field: 'pay_latency_ms', agg: 'p95' }],
      },
      { dimensions: ['region', '$verdict'], measures: [{ field: 'pay_latency_ms', agg: 'p95' }] },
      {
        dimensions: ['category', '$verdict'],
        measures: [{ field: 'pay_latency_ms', agg: 'p95' }],
      },
      {
        dimensions: ['item_name', '$verdict'],
        measures: [{ field: 'pay_latency_ms', agg: 'p95' }],
      },
    ]);
  });

  it('keeps the verdict mix and session duration when the template names no dimension', () => {
    expect(dashboardRollupSpecs([])).toEqual([
      { dimensions: ['$verdict'], measures: [{ field: '$duration', agg: 'p95' }] },
    ]);
  });
});
