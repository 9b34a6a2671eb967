import { describe, expect, it } from 'vitest';
import { drilldownDimensions, latencyFields, storageFieldName } from './field-names';

describe('dashboard field names', () => {
  it('maps template built-ins to the store names', () => {
    expect(storageFieldName('$conclusion')).toBe('$verdict');
    expect(storageFieldName('$duration_ms')).toBe('$duration');
    expect(storageFieldName('channel')).toBe('channel');
  });

  it('collects drill-down dimensions and latency fields from the template dashboards', () => {
    const dashboards = [
      {
        dimensions: ['$conclusion', 'channel', 'region'],
        measures: [{ agg: 'count' }, { agg: 'p95', field: 'pay_latency_ms' }],
      },
      { dimensions: ['region', 'item_name'], measures: [{ agg: 'avg', field: '$duration_ms' }] },
    ];
    expect(drilldownDimensions(dashboards)).toEqual(['channel', 'region', 'item_name']);
    expect(latencyFields(dashboards)).toEqual(['pay_latency_ms']);
    expect(latencyFields([{ measures: [{ agg: 'count' }] }])).toEqual(['$duration']);
  });
});
