import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openSqliteDialect } from './sqlite-dialect.js';

describe('the embedded store page cache', () => {
  it.each([
    [undefined, -64 * 1024],
    [1024, -1024 * 1024],
  ])(
    'cacheMb %s gives the connection cache_size %d (KiB when negative)',
    async (cacheMb, expected) => {
      const dialect = await openSqliteDialect(':memory:', cacheMb === undefined ? {} : { cacheMb });
      try {
        const rows = await sql<{ cache_size: number }>`PRAGMA cache_size`.execute(dialect.db);
        expect(rows.rows[0]?.cache_size).toBe(expected);
      } finally {
        await dialect.db.destroy();
      }
    },
  );
});
