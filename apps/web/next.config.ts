import type { NextConfig } from 'next';

/**
 * Workspace packages (@weft/*) are consumed through their `dist/` builds (the
 * default export condition): Turbopack does not take custom resolve conditions,
 * so the `weft-source` condition is for vitest and tsc only. Turbo's `^build`
 * builds them before `next build`.
 *
 * The storage package and its database drivers stay outside the server bundle
 * (native libsql binary, mysql2's dynamic requires), loaded by Node at run time.
 */
const config: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  experimental: { authInterrupts: true },
  serverExternalPackages: ['@weft/storage', 'libsql', 'mysql2', 'kysely'],
};

export default config;
