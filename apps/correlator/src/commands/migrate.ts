import type { Command } from 'commander';
import { applyMigrations, InvalidStoreUrlError, openStore } from '@weft/storage';
import type { Store } from '@weft/storage';
import { UsageError } from '../errors.js';

/**
 * Opens the store at `url`, turning a malformed URL into a usage error
 * (exit 2). Shared by the commands that take `--db`.
 */
export async function openStoreForCli(url: string): Promise<Store> {
  try {
    return await openStore(url);
  } catch (error) {
    if (error instanceof InvalidStoreUrlError) throw new UsageError(error.message);
    throw error;
  }
}

/** `weft migrate --db URL`: applies pending migrations under the migration lock. */
export async function runMigrate(
  url: string,
  out: (line: string) => void = console.log,
): Promise<void> {
  const store = await openStoreForCli(url);
  try {
    const report = await applyMigrations(store);
    const list = (versions: number[]) => (versions.length === 0 ? 'none' : versions.join(', '));
    out(
      `migrated ${store.backend} database: applied ${list(report.applied)}; already applied ${list(report.alreadyApplied)}`,
    );
  } finally {
    await store.close();
  }
}

export function register(program: Command): void {
  program
    .command('migrate')
    .description('Apply pending database migrations (safe to run from several processes at once)')
    .requiredOption(
      '--db <url>',
      'mysql://user[:pass]@host:port/db, sqlite:PATH or sqlite::memory:',
    )
    .action(async (options: { db: string }) => {
      await runMigrate(options.db);
    });
}
