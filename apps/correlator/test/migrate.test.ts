import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openStore } from '@weft/storage';
import { UsageError } from '../src/errors.js';
import { weft } from './support/weft-cli.js';

/** Versions of the SQLite migrations in the repository, e.g. "1, 2, 3". */
const versions = readdirSync(new URL('../../../migrations/', import.meta.url))
  .flatMap((name) => /^(\d+)_.*\.sqlite\.sql$/.exec(name)?.[1] ?? [])
  .map(Number)
  .sort((a, b) => a - b)
  .join(', ');

const dirs: string[] = [];
function sqliteUrl(): string {
  const dir = mkdtempSync(join(tmpdir(), 'weft-migrate-'));
  dirs.push(dir);
  return `sqlite:${join(dir, 'weft.db')}`;
}

afterEach(() => {
  vi.restoreAllMocks();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('weft migrate', () => {
  it('creates the schema, then reports it already applied', async () => {
    const url = sqliteUrl();
    expect(await weft('migrate', '--db', url)).toEqual([
      `migrated sqlite database: applied ${versions}; already applied none`,
    ]);
    expect(await weft('migrate', '--db', url)).toEqual([
      `migrated sqlite database: applied none; already applied ${versions}`,
    ]);
    const store = await openStore(url);
    try {
      expect(await store.sessions.search({})).toEqual({ sessions: [] });
    } finally {
      await store.close();
    }
  });

  it.each(['postgres://u@h/db', 'mysql://h:3306/db', 'sqlite:'])(
    'turns the malformed URL %s into a usage error',
    async (url) => {
      await expect(weft('migrate', '--db', url)).rejects.toThrow(UsageError);
    },
  );

  it('requires --db', async () => {
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    await expect(weft('migrate')).rejects.toThrow(/--db/u);
  });
});
