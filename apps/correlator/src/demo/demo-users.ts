import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { WebAppError } from './web-app.js';

export const DEMO_ROLES = ['operator', 'analyst', 'manager', 'admin'] as const;

const LoginSchema = z.object({
  role: z.enum(DEMO_ROLES),
  email: z.email(),
  password: z.string().min(8),
});
/** One demo account. */
export type DemoLogin = z.infer<typeof LoginSchema>;

/**
 * The demo accounts of a data directory, one per role, with random passwords
 * generated on first use and kept in `file` (mode 600), never in the repository.
 *
 * @example demoLogins('.weft/demo/demo-logins.json')[0] // { role: 'operator', email: 'operator@weft.demo', … }
 */
export function demoLogins(file: string): DemoLogin[] {
  if (existsSync(file)) {
    const parsed = z.array(LoginSchema).safeParse(JSON.parse(readFileSync(file, 'utf8')));
    if (parsed.success && parsed.data.length === DEMO_ROLES.length) return parsed.data;
  }
  const logins = DEMO_ROLES.map((role) => ({
    role,
    email: `${role}@weft.demo`,
    password: `demo-${randomBytes(9).toString('base64url')}`,
  }));
  writeFileSync(file, `${JSON.stringify(logins, null, 2)}\n`, { mode: 0o600 });
  return logins;
}

/**
 * Creates the demo accounts through the running web app's own endpoints: the
 * first-run admin bootstrap (`POST /api/setup`), then better-auth's admin
 * `create-user` for the other roles. Accounts that already exist are kept.
 *
 * @example await seedDemoUsers('http://127.0.0.1:3000', demoLogins(file));
 */
export async function seedDemoUsers(url: string, logins: readonly DemoLogin[]): Promise<void> {
  const admin = logins.find((login) => login.role === 'admin');
  if (!admin) throw new WebAppError('the demo logins have no admin');
  // 201 on a fresh store, 403 once any account exists: both are fine here.
  await post(url, '/api/setup', {
    name: 'Demo admin',
    email: admin.email,
    password: admin.password,
  });
  const adminCookie = await signIn(url, admin);
  if (adminCookie === undefined) {
    throw new WebAppError(
      `the demo admin ${admin.email} cannot sign in: this store has accounts that weft demo did not create. Sign in with your own account, or run \`weft demo --reset\``,
    );
  }
  // No probing sign-ins: better-auth allows 3 sign-ins per 10 s per address, and the
  // person who reads the printed logins signs in right after this.
  for (const login of logins) {
    if (login.role === 'admin') continue;
    const name = `Demo ${login.role}`;
    const response = await post(
      url,
      '/api/auth/admin/create-user',
      { ...login, name },
      adminCookie,
    );
    if (!response.ok && !(await alreadyExists(response))) {
      throw new WebAppError(
        `creating the demo ${login.role} ${login.email} failed: HTTP ${response.status} ${await response.text()}`,
      );
    }
  }
}

/** better-auth answers 400 USER_ALREADY_EXISTS… for an e-mail that has an account. */
async function alreadyExists(response: Response): Promise<boolean> {
  const body = (await response
    .clone()
    .json()
    .catch(() => ({}))) as { code?: unknown };
  return typeof body.code === 'string' && body.code.startsWith('USER_ALREADY_EXISTS');
}

/** The session cookie of a successful sign-in, or undefined when the credentials are refused. */
async function signIn(url: string, login: DemoLogin): Promise<string | undefined> {
  const response = await post(url, '/api/auth/sign-in/email', {
    email: login.email,
    password: login.password,
  });
  if (!response.ok) return undefined;
  return response.headers
    .getSetCookie()
    .map((cookie) => cookie.split(';')[0])
    .join('; ');
}

function post(url: string, route: string, body: unknown, cookie?: string): Promise<Response> {
  return fetch(`${url}${route}`, {
    method: 'POST',
    // better-auth refuses cross-site POSTs: the request comes from the app's own origin.
    headers: {
      'content-type': 'application/json',
      origin: url,
      ...(cookie === undefined ? {} : { cookie }),
    },
    body: JSON.stringify(body),
    redirect: 'manual',
  });
}
