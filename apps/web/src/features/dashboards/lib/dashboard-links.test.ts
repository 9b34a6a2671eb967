import { describe, expect, it } from 'vitest';
import { dashboardLinks } from './dashboard-links';

describe('dashboardLinks', () => {
  it('keeps the current template, range and dimension in every link', () => {
    const links = dashboardLinks(
      { template: 'in-app-purchase', range: '30d', dim: 'channel' },
      ['channel', 'region'],
      ['alipay'],
      ['in-app-purchase', 'bank-transfer'],
    );
    expect(links['range:90d']).toBe('/dashboards?template=in-app-purchase&range=90d&dim=channel');
    expect(links['dim:region']).toBe('/dashboards?template=in-app-purchase&range=30d&dim=region');
    expect(links['value:alipay']).toBe(
      '/dashboards?template=in-app-purchase&range=30d&dim=channel&value=alipay',
    );
    expect(links['template:bank-transfer']).toBe('/dashboards?template=bank-transfer&range=30d');
    expect(links.clear).toBe('/dashboards?template=in-app-purchase&range=30d&dim=channel');
  });
});
