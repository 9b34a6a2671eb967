import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { MigrationError } from '../errors.js';

/** One forward-only migration, read from `migrations/NNNN_name.<dialect>.sql`. */
export interface MigrationFile {
  version: number;
  name: string;
  checksum: string;
  statements: string[];
}

/** The repository's migrations folder, found from this module (src/ and dist/ sit at the same depth). */
export const DEFAULT_MIGRATIONS_DIR = fileURLToPath(
  new URL('../../../../migrations/', import.meta.url),
);

const FILE_NAME = /^(\d{4})_([a-z0-9_]+)\.(mysql|sqlite)\.sql$/u;

/**
 * Lists the migrations of one dialect in version order. Every version must
 * exist for every dialect, so both backends end up with the same schema.
 */
export async function loadMigrations(dir: string, suffix: string): Promise<MigrationFile[]> {
  const names = (await readdir(dir)).filter((name) => FILE_NAME.test(name));
  const versions = new Map<number, Set<string>>();
  for (const name of names) {
    const [, version, , dialect] = FILE_NAME.exec(name) ?? [];
    const dialects = versions.get(Number(version)) ?? new Set<string>();
    versions.set(Number(version), dialects.add(dialect ?? ''));
  }
  for (const [version, dialects] of versions) {
    if (!dialects.has('mysql') || !dialects.has('sqlite')) {
      throw new MigrationError(
        `Migration ${version} in ${dir} exists only for ${[...dialects].join(', ')}: ` +
          'add both NNNN_name.mysql.sql and NNNN_name.sqlite.sql.',
      );
    }
  }
  const own = names.filter((name) => name.endsWith(`.${suffix}.sql`)).sort();
  return Promise.all(
    own.map(async (name) => parseMigration(name, await readFile(`${dir}/${name}`, 'utf8'))),
  );
}

function parseMigration(fileName: string, text: string): MigrationFile {
  const [, version, name] = FILE_NAME.exec(fileName) ?? [];
  return {
    version: Number(version),
    name: name ?? fileName,
    checksum: createHash('sha256').update(text).digest('hex'),
    statements: splitStatements(text),
  };
}

/**
 * Splits a migration into statements at semicolons that end a line, after
 * dropping `--` comment lines. Migrations keep one statement per `;`-ended
 * line group and never put `;` inside string literals.
 */
export function splitStatements(text: string): string[] {
  const withoutComments = text
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('--'))
    .join('\n');
  return withoutComments
    .split(/;\s*$/mu)
    .map((statement) => statement.trim())
    .filter((statement) => statement.length > 0);
}
