import { describe, expect, it } from 'vitest';
import { DEFAULT_MIGRATIONS_DIR, loadMigrations, splitStatements } from './migration-files.js';

describe('splitStatements', () => {
  it('splits at line-ending semicolons and drops comment lines', () => {
    const text =
      '-- header; not a statement\nCREATE TABLE a (x INT);\n\n-- why\nCREATE INDEX i\n  ON a (x);\n';
    expect(splitStatements(text)).toEqual(['CREATE TABLE a (x INT)', 'CREATE INDEX i\n  ON a (x)']);
  });
});

describe('the repository migrations', () => {
  it.each(['mysql', 'sqlite'])(
    'exist for %s in the same versions, with a utf8mb4 collation on every MySQL table',
    async (suffix) => {
      const migrations = await loadMigrations(DEFAULT_MIGRATIONS_DIR, suffix);
      const versions = migrations.map((m) => m.version);
      expect(versions.length).toBeGreaterThanOrEqual(2);
      expect(versions).toEqual(versions.map((_, i) => i + 1));
      const creates = migrations
        .flatMap((m) => m.statements)
        .filter((s) => s.startsWith('CREATE TABLE'));
      expect(creates.length).toBeGreaterThanOrEqual(11);
      if (suffix === 'mysql') {
        for (const create of creates)
          expect(create).toMatch(/DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin$/u);
      }
    },
  );
});
