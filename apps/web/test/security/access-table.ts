import { ROLE_NAMES } from '../../src/features/admin/lib/roles';
import type { RoleName } from '../../src/features/admin/lib/roles';

/**
 * Who may reach what: one row per page and route-handler method of the app
 * (completeness is checked against the app directory by
 * access-table.test.ts), each with concrete probes and the expected outcome
 * for every role and for a signed-out visitor. Written out by hand on purpose:
 * it restates the policy instead of deriving it from roles.ts.
 */
export type Who = 'anonymous' | RoleName;
export const EVERYONE: readonly Who[] = ['anonymous', ...ROLE_NAMES];

/**
 * - `ok`: got through (2xx/3xx elsewhere than /login, or a 400/404 on the probe's harmless input)
 * - `login`: redirected to /login (pages, signed out)
 * - `unauthenticated`: 401 (API, signed out)
 * - `forbidden`: 403
 */
export type Outcome = 'ok' | 'login' | 'unauthenticated' | 'forbidden';

export interface Probe {
  method: 'GET' | 'POST';
  /** Concrete URL; `{sessionId}` is replaced by a seeded session. */
  url: string;
  /** JSON body of a POST: chosen so that an allowed caller changes nothing (400) or nothing harmful. */
  body?: unknown;
  expect: Record<Who, Outcome>;
}

/** A page only `roles` may open: others get 403, signed-out visitors go to /login. */
function page(url: string, roles: readonly RoleName[]): Probe {
  return { method: 'GET', url, expect: outcomes(roles, 'login') };
}

/** An API call only `roles` may make: others get 403, signed-out callers 401. */
function api(
  method: Probe['method'],
  url: string,
  roles: readonly RoleName[],
  body?: unknown,
): Probe {
  return {
    method,
    url,
    ...(body === undefined ? {} : { body }),
    expect: outcomes(roles, 'unauthenticated'),
  };
}

function outcomes(roles: readonly RoleName[], signedOut: Outcome): Record<Who, Outcome> {
  const expect = { anonymous: signedOut } as Record<Who, Outcome>;
  for (const role of ROLE_NAMES) expect[role] = roles.includes(role) ? 'ok' : 'forbidden';
  return expect;
}

function same(outcome: Outcome): Record<Who, Outcome> {
  return Object.fromEntries(EVERYONE.map((who) => [who, outcome])) as Record<Who, Outcome>;
}

const READERS: RoleName[] = ['operator', 'analyst', 'admin'];
const ACTORS: RoleName[] = ['operator', 'admin'];
const ANALYSTS: RoleName[] = ['analyst', 'admin'];
const MANAGERS: RoleName[] = ['manager', 'admin'];

/** Keyed by `METHOD pattern` exactly as route-inventory.ts names the app's routes. */
export const ACCESS_TABLE: Record<string, Probe[]> = {
  'GET /': [page('/', [...ROLE_NAMES])],
  'GET /login': [{ method: 'GET', url: '/login', expect: same('ok') }],
  // Open only while no account exists; the matrix runs after the first admin is created.
  'GET /setup': [{ method: 'GET', url: '/setup', expect: same('login') }],
  'GET /admin': [page('/admin', ['admin'])],
  'GET /dashboards': [page('/dashboards?range=7d', MANAGERS)],
  'GET /entities/[kind]/[key]': [
    page('/entities/device/D1?template=in-app-purchase', [...ROLE_NAMES]),
  ],
  'GET /search': [page('/search?q=O1', READERS)],
  'GET /sessions/[id]': [page('/sessions/{sessionId}', READERS)],
  'GET /templates': [page('/templates', ANALYSTS)],
  'GET /templates/wizard': [page('/templates/wizard', ANALYSTS)],
  'GET /api/auth/[...all]': [
    { method: 'GET', url: '/api/auth/get-session', expect: same('ok') },
    api('GET', '/api/auth/admin/list-users', ['admin']),
  ],
  'POST /api/auth/[...all]': [
    // A valid body: better-auth validates input before it checks the role, so
    // a bad one would answer 400 to everyone. Only the admin (probed last) creates it.
    api('POST', '/api/auth/admin/create-user', ['admin'], {
      email: 'probe@weft.test',
      password: 'probe-password-1',
      name: 'Probe',
      role: 'operator',
    }),
    api('POST', '/api/auth/admin/set-role', ['admin'], { userId: '', role: 'admin' }),
  ],
  'GET /api/dashboards': [api('GET', '/api/dashboards?range=7d', MANAGERS)],
  'GET /api/sessions/[id]': [api('GET', '/api/sessions/{sessionId}', READERS)],
  'POST /api/sessions/[id]/annotate': [
    api('POST', '/api/sessions/{sessionId}/annotate', ACTORS, {}),
  ],
  'POST /api/sessions/[id]/merge': [api('POST', '/api/sessions/{sessionId}/merge', ACTORS, {})],
  'GET /api/sessions/search': [api('GET', '/api/sessions/search?q=O1', READERS)],
  'POST /api/setup': [
    {
      method: 'POST',
      url: '/api/setup',
      body: { name: 'Mallory', email: 'mallory@weft.test', password: 'mallory-password' },
      expect: same('forbidden'),
    },
  ],
  'POST /api/templates/check': [api('POST', '/api/templates/check', ANALYSTS, { definition: {} })],
  'POST /api/templates/publish': [
    api('POST', '/api/templates/publish', ANALYSTS, { definition: {} }),
  ],
};
