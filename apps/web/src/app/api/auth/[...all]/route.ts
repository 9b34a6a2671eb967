import { getAuth } from '@/server/auth';

/** better-auth's own endpoints (sign-in, sign-out, admin plugin), mounted at /api/auth/*. */
async function handle(request: Request): Promise<Response> {
  const auth = await getAuth();
  return auth.handler(request);
}

export { handle as GET, handle as POST };
