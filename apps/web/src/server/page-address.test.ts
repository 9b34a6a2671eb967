import { describe, expect, it } from 'vitest';
import { checkPageAddress, malformedAddress, undecodableSegment } from './page-address';

const check = (address: string) => {
  const url = new URL(address, 'http://weft.test');
  return checkPageAddress(url.pathname, url.searchParams);
};
const fields = (address: string) => check(address)?.issues.map((issue) => issue.field) ?? [];

describe('checkPageAddress', () => {
  it('lets well-formed addresses of the checked pages through', () => {
    for (const address of [
      '/search',
      '/search?q=O17&limit=20',
      '/dashboards',
      '/dashboards?template=in-app-purchase&range=7d&dim=channel&value=alipay',
      '/entities/device/D7?template=in-app-purchase',
      '/entities/device/D%207?template=t&range=90d&depth=3&cursor=abc',
    ])
      expect(check(address), address).toBeNull();
  });

  it('names each malformed parameter, with the rule of the page’s own schema', () => {
    expect(check('/dashboards?range=2w')?.issues).toEqual([
      { field: 'range', reason: 'one of 1h, 24h, 7d, 30d, 90d' },
    ]);
    expect(check('/search?limit=abc')?.issues).toEqual([
      { field: 'limit', reason: 'a whole number of rows from 1 to 200' },
    ]);
    expect(fields('/entities/device/D7')).toEqual(['template']);
    expect(fields('/entities/device/D7?template=t&range=1y&depth=9')).toEqual(['range', 'depth']);
    expect(fields('/entities/no-such!kind/D7?template=t')).toEqual(['kind']);
  });

  it('refuses a parameter given twice on every checked page', () => {
    expect(fields('/dashboards?range=7d&range=30d')).toEqual(['range']);
    expect(fields('/search?q=a&q=b')).toEqual(['q']);
    expect(fields('/entities/device/D7?template=t&template=u')).toEqual(['template']);
  });

  it('says where to go instead, and which permission opens the page', () => {
    const malformed = check('/dashboards?range=2w');
    expect(malformed?.what).toBe('dashboard link');
    expect(malformed?.help.href).toBe('/dashboards');
    expect(malformed?.permission).toEqual({ resource: 'dashboard', action: 'read' });
    expect(check('/entities/device/D7')?.permission).toEqual({
      resource: 'entity',
      action: 'read',
    });
    expect(malformedAddress('search', []).help.href).toBe('/search');
  });

  it('leaves other pages, and other shapes of a checked path, to Next', () => {
    expect(check('/sessions/s-1?range=2w')).toBeNull();
    expect(check('/entities/device?template=t&range=2w')).toBeNull();
    expect(check('/searching?limit=abc')).toBeNull();
    expect(check('/constructor?limit=abc')).toBeNull();
  });
});

describe('undecodableSegment', () => {
  it('names the first segment that is not valid percent-encoding, and where it is', () => {
    expect(undecodableSegment('/sessions/%E0%A4%A')?.field).toBe('path segment 2');
    expect(undecodableSegment('/sessions/%E0%A4%A')?.reason).toMatch(/^"%E0%A4%A" is not valid/);
    expect(undecodableSegment('/entities/account/%ZZ')?.reason).toMatch(/^"%ZZ"/);
    expect(undecodableSegment('/sessions/%')?.reason).toMatch(/^"%"/);
    expect(undecodableSegment('/%C3/x')?.field).toBe('path segment 1');
    expect(undecodableSegment('/api/sessions/%FF/annotate')?.field).toBe('path segment 3');
  });

  it('accepts valid escapes, a literal %25 and plain paths', () => {
    for (const path of ['/', '/sessions/s-O1', '/entities/device/D%207', '/x/100%25', '/%E0%A4%A8'])
      expect(undecodableSegment(path), path).toBeNull();
  });
});
