import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'libsql';
import { afterAll, describe, expect, it } from 'vitest';
import { applyMigrations, openStore } from '../../src/index.js';
import { makeSession } from '../sessions-fixture.js';

describe('the embedded store', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('leaves planner statistics behind when closed after use, without an explicit analyze()', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'weft-stats-'));
    dirs.push(dir);
    const path = join(dir, 'weft.db');
    const store = await openStore(`sqlite:${path}`);
    await applyMigrations(store);
    const sessions = Array.from({ length: 50 }, () => makeSession({ templateId: 'stats' }));
    await store.sessions.upsert(sessions);
    expect(await store.sessions.byBusinessKey(sessions[7]!.businessKey)).toHaveLength(1);
    await store.close();

    const db = new Database(path, { readonly: true });
    try {
      const tables = db
        .prepare("SELECT DISTINCT tbl FROM sqlite_stat1 WHERE tbl = 'sessions'")
        .all() as { tbl: string }[];
      expect(tables.map((t) => t.tbl)).toEqual(['sessions']);
    } finally {
      db.close();
    }
  });
});
