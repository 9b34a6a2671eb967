import { describe, expect, it } from 'vitest';
import { purchaseTemplate } from '@/features/session/lib/fixtures';
import { dashboardRollupSpecs } from './rollup-specs';

const latency = [{ field: 'pay_latency_ms', agg: 'p95' }];

describe('dashboardRollupSpecs', () => {
  it('rolls up the whole template, the verdict mix, and each drill-down dimension with the verdict', () => {
    expect(dashboardRollupSpecs(purchaseTemplate().dashboards)).toEqual([
      { dimensions: [], measures: latency },
      { dimensions: ['$verdict'], measures: [] },
      { dimensions: ['channel', '$verdict'], measures: latency },
      { dimensions: ['region', '$verdict'], measures: latency },
      { dimensions: ['category', '$verdict'], measures: latency },
      { dimensions: ['item_name', '$verdict'], measures: latency },
    ]);
  });

  it('keeps the verdict mix and session duration when the template names no dimension', () => {
    expect(dashboardRollupSpecs([])).toEqual([
      { dimensions: [], measures: [{ field: '$duration', agg: 'p95' }] },
      { dimensions: ['$verdict'], measures: [] },
    ]);
  });
});
