import { headers } from 'next/headers';
import { forbidden, redirect } from 'next/navigation';
import { cache } from 'react';
import { can, toRoleName } from '@/features/admin/lib/roles';
import type { Permission, RoleName } from '@/features/admin/lib/roles';
import { getAuth } from './auth';
import type { Auth } from './auth';
import { serverError } from './http';
import { markStoreUnreachable, unavailableCode } from './unavailable';

export interface Viewer {
  id: string;
  email: string;
  name: string;
  role: RoleName | null;
}

/**
 * The signed-in user of this request, or null. A page render asks three times
 * (the signed-in shell, its segment's guard, the page itself): React's
 * per-request `cache` makes that one cookie check and one session lookup.
 */
export const currentViewer = cache(async (): Promise<Viewer | null> => viewerOf(await headers()));

/**
 * The signed-in user named by these request headers' session cookie, or null.
 * For the Proxy, which has the request but no React render to cache in; it
 * never refreshes the session, so it sets no cookie.
 *
 * @example await viewerOf(request.headers) // { id, email, name, role: 'operator' } | null
 */
export async function viewerOf(
  requestHeaders: Headers,
  options: { refresh: boolean } = { refresh: true },
): Promise<Viewer | null> {
  let result: Awaited<ReturnType<Auth['api']['getSession']>>;
  try {
    const auth = await getAuth();
    result = options.refresh
      ? await auth.api.getSession({ headers: requestHeaders })
      : await auth.api.getSession({ headers: requestHeaders, query: { disableRefresh: true } });
  } catch (error) {
    throw markStoreUnreachable(error);
  }
  if (!result) return null;
  const { user } = result;
  return { id: user.id, email: user.email, name: user.name, role: toRoleName(user.role) };
}

/**
 * For pages: the viewer when they hold the permission; otherwise redirects to
 * the login page (signed out) or renders the 403 page (signed in, wrong role).
 */
export async function requirePage(permission: Permission): Promise<Viewer> {
  const viewer = await currentViewer();
  if (!viewer) redirect('/login');
  if (!can(viewer.role, permission)) forbidden();
  return viewer;
}

export type RouteAccess = { ok: true; viewer: Viewer } | { ok: false; response: Response };

/** For route handlers: the viewer, or the 401/403 (503 while the database is down) JSON response to return. */
export async function requireRoute(permission: Permission): Promise<RouteAccess> {
  let viewer: Viewer | null;
  try {
    viewer = await currentViewer();
  } catch (error) {
    // The accounts live in the same database: while it is down, say so (503), not 500.
    if (unavailableCode(error))
      return { ok: false, response: serverError('Checking your sign-in', error) };
    throw error;
  }
  if (!viewer) {
    return { ok: false, response: Response.json({ error: 'Sign in first.' }, { status: 401 }) };
  }
  if (!can(viewer.role, permission)) {
    const message = `Your role (${viewer.role ?? 'none'}) may not ${permission.action} ${permission.resource}.`;
    return { ok: false, response: Response.json({ error: message }, { status: 403 }) };
  }
  return { ok: true, viewer };
}
