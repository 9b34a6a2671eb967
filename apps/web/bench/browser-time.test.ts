import { describe, expect, it } from 'vitest';
import { browserMetrics } from './browser-time';

describe('browserMetrics', () => {
  it('gives each span a snake_case metric over every flow, with the p95 as a parameter', () => {
    const flow = (interactive: number) => ({
      search: 100,
      openToDrawn: 200,
      openToFinished: 900,
      inputResponse: 20,
      treeDrawn: 1_000,
      interactive,
      longTasks: 300,
    });
    const dashboard = { htmlDone: 80, chartsDrawn: 700, rendered: 1_700, longTasks: 600 };
    const metrics = browserMetrics({
      searchToTree: [1_100, 1_020, 1_300, 1_050].map(flow),
      dashboard: [dashboard],
      coldDashboard: dashboard,
    });
    const interactive = metrics.find((m) => m.name === 'browser.search_to_tree.interactive');
    expect(interactive).toMatchObject({
      unit: 'ms',
      median: 1_075,
      min: 1_020,
      max: 1_300,
      params: { p95: 1_300 },
    });
    expect(metrics.map((m) => m.name)).toContain('browser.search_to_tree.open_to_finished');
    expect(metrics.map((m) => m.name)).toContain('browser.dashboard_90d.rendered');
  });
});
