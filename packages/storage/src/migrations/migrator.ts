import type { StoreDialect } from '../dialect/dialect.js';
import { MigrationError } from '../errors.js';
import type { MigrationFile } from './migration-files.js';
import { DEFAULT_MIGRATIONS_DIR, loadMigrations } from './migration-files.js';

/** What `applyMigrations` did: versions applied now and versions found already applied. */
export interface MigrationReport {
  applied: number[];
  alreadyApplied: number[];
}

/**
 * Brings the schema up to the newest migration, under the migration lock so
 * that several correlators starting at once apply each version exactly once.
 * An applied migration whose file changed since is an error (forward-only:
 * add a new migration instead of editing an old one).
 */
export async function migrateDialect(
  dialect: StoreDialect,
  dir: string = DEFAULT_MIGRATIONS_DIR,
): Promise<MigrationReport> {
  const migrations = await loadMigrations(dir, dialect.migrationSuffix);
  return dialect.withMigrationLock(async (executor) => {
    await dialect.ensureMigrationsTable(executor);
    const applied = await executor
      .selectFrom('weft_migrations')
      .select(['version', 'checksum'])
      .execute();
    const checksums = new Map(applied.map((row) => [Number(row.version), row.checksum]));
    const report: MigrationReport = { applied: [], alreadyApplied: [] };
    for (const migration of migrations) {
      const recorded = checksums.get(migration.version);
      if (recorded !== undefined) {
        assertUnchanged(migration, recorded);
        report.alreadyApplied.push(migration.version);
        continue;
      }
      for (const statement of migration.statements) await dialect.executeDdl(executor, statement);
      await executor
        .insertInto('weft_migrations')
        .values({
          version: migration.version,
          name: migration.name,
          checksum: migration.checksum,
          applied_at: Date.now(),
        })
        .execute();
      report.applied.push(migration.version);
    }
    await dialect.prepareAnalytics(executor);
    return report;
  });
}

function assertUnchanged(migration: MigrationFile, recordedChecksum: string): void {
  if (recordedChecksum !== migration.checksum) {
    throw new MigrationError(
      `Migration ${migration.version} (${migration.name}) was applied with checksum ${recordedChecksum} ` +
        `but the file now has ${migration.checksum}. Migrations are forward-only: restore the file and add a new migration.`,
    );
  }
}
