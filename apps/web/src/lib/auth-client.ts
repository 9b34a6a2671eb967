import { adminClient } from 'better-auth/client/plugins';
import { createAuthClient } from 'better-auth/react';
import { accessControl, roles } from '@/features/admin/lib/roles';

/** The browser's better-auth client (same origin as the app). */
export const authClient = createAuthClient({
  plugins: [adminClient({ ac: accessControl, roles })],
});
