import { describe, expect, it } from 'vitest';
import { ACCESS_TABLE, EVERYONE } from './access-table';
import { appRoutes, exportedMethods } from './route-inventory';

describe('the authorization table', () => {
  const routes = appRoutes();
  const inApp = routes.flatMap((r) => r.methods.map((m) => `${m} ${r.pattern}`)).sort();

  it('finds the pages and route handlers of the app directory', () => {
    expect(inApp).toContain('GET /sessions/[id]');
    expect(inApp).toContain('POST /api/sessions/[id]/merge');
    expect(inApp).toContain('POST /api/auth/[...all]');
    expect(routes.every((r) => r.methods.length > 0)).toBe(true);
  });

  it('has probes for every page and route method, and none for routes that do not exist', () => {
    expect(Object.keys(ACCESS_TABLE).sort()).toEqual(inApp);
    for (const probes of Object.values(ACCESS_TABLE)) expect(probes.length).toBeGreaterThan(0);
  });

  it('states an outcome for every role and for signed-out visitors', () => {
    for (const probes of Object.values(ACCESS_TABLE))
      for (const probe of probes)
        expect(Object.keys(probe.expect).sort()).toEqual([...EVERYONE].sort());
  });
});

describe('exportedMethods', () => {
  it('reads functions, constants and re-exports', () => {
    expect(exportedMethods('export async function GET() {}\nexport const POST = x;')).toEqual([
      'GET',
      'POST',
    ]);
    expect(exportedMethods('export { handle as GET, handle as POST };')).toEqual(['GET', 'POST']);
    expect(exportedMethods("export const dynamic = 'force-dynamic';")).toEqual([]);
  });
});
