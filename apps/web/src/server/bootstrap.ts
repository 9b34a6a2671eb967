import { getAuth } from './auth';
import { config } from './env';

/** True once any account exists; until then the app offers the first-run admin setup. */
export async function hasAnyUser(): Promise<boolean> {
  const auth = await getAuth();
  const context = await auth.$context;
  return (await context.internalAdapter.countTotalUsers()) > 0;
}

export class SetupClosedError extends Error {
  override name = 'SetupClosedError' as const;
}

/**
 * First-run bootstrap: creates the first admin, only while no account exists.
 *
 * @example await createFirstAdmin({ email: 'admin@example.com', password: '…', name: 'Admin' })
 */
export async function createFirstAdmin(input: {
  email: string;
  password: string;
  name: string;
}): Promise<void> {
  if (await hasAnyUser()) {
    throw new SetupClosedError('An account already exists: sign in and ask an admin instead.');
  }
  const auth = await getAuth();
  await auth.api.createUser({ body: { ...input, role: 'admin' } });
}

/** Creates the admin named by WEFT_ADMIN_EMAIL/WEFT_ADMIN_PASSWORD on a fresh database. */
export async function bootstrapAdminFromEnv(): Promise<void> {
  const admin = config().bootstrapAdmin;
  if (admin && !(await hasAnyUser())) {
    await createFirstAdmin({ ...admin, name: 'Administrator' });
  }
}
