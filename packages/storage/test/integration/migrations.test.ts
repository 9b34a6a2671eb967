import { copyFile, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aggregateSubjects, applyMigrations, MigrationError, openStore } from '../../src/index.js';
import { DEFAULT_MIGRATIONS_DIR } from '../../src/migrations/migration-files.js';
import type { Store } from '../../src/index.js';
import type { TestDatabase } from '../backends.js';
import {
  copyIntoOlderSchema,
  executeRaw,
  freshStore,
  tableShape,
  testBackends,
} from '../backends.js';
import { makeSession } from '../sessions-fixture.js';
import type { Session } from '@weft/templates';

function withoutNodes({ nodes: _nodes, ...summary }: Session) {
  return summary;
}

/**
 * A copy of the real migrations (those up to `upTo`, default all) plus
 * `extra` files, to test forward migrations and edits.
 */
async function migrationsDirWith(
  extra: Record<string, string>,
  upTo = Number.MAX_SAFE_INTEGER,
): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'weft-migrations-'));
  for (const name of await readdir(DEFAULT_MIGRATIONS_DIR)) {
    if (Number(name.slice(0, 4)) > upTo) continue;
    await copyFile(join(DEFAULT_MIGRATIONS_DIR, name), join(dir, name));
  }
  for (const [name, text] of Object.entries(extra)) await writeFile(join(dir, name), text);
  return dir;
}

const secondMigration = {
  '9001_test_index.mysql.sql':
    'CREATE INDEX idx_sessions_fire_reason ON sessions (fire_reason);\nCREATE TABLE IF NOT EXISTS test_extra (id INT NOT NULL, PRIMARY KEY (id)) DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;\n',
  '9001_test_index.sqlite.sql':
    'CREATE INDEX idx_sessions_fire_reason ON sessions (fire_reason);\nCREATE TABLE IF NOT EXISTS test_extra (id INTEGER NOT NULL PRIMARY KEY);\n',
};

/** The versions of the repository's migrations, as `applyMigrations` reports them. */
const REAL_VERSIONS = [
  ...new Set((await readdir(DEFAULT_MIGRATIONS_DIR)).map((name) => Number(name.slice(0, 4)))),
].sort((a, b) => a - b);

describe.each(testBackends())('migrations on $name', (backend) => {
  let database: TestDatabase;
  const dirs: string[] = [];
  beforeAll(async () => {
    database = await backend.createDatabase();
  });
  afterAll(async () => {
    await database?.dispose();
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  /**
   * Runs `body` with a database migrated up to version `upTo` (`store`, at
   * `oldUrl`) and a current one (`writer`, at `url`): what today's API writes
   * into the current one, copyIntoOlderSchema puts into the older one.
   */
  async function withOlderDatabase(
    upTo: number,
    body: (db: { store: Store; oldUrl: string; writer: Store; url: string }) => Promise<void>,
  ): Promise<void> {
    const dir = await migrationsDirWith({}, upTo);
    dirs.push(dir);
    const old = await backend.createDatabase();
    const current = await freshStore(backend);
    const store = await openStore(old.url);
    try {
      expect(await applyMigrations(store, dir)).toEqual({
        applied: REAL_VERSIONS.filter((v) => v <= upTo),
        alreadyApplied: [],
      });
      await body({ store, oldUrl: old.url, writer: current.store, url: current.url });
    } finally {
      await store.close();
      await current.close();
      await old.dispose();
    }
  }

  it('applies every migration to an empty database, once, even from several connections at once', async () => {
    const stores = await Promise.all([1, 2, 3, 4].map(() => openStore(database.url)));
    try {
      const reports = await Promise.all(stores.map((store) => applyMigrations(store)));
      const applied = reports.flatMap((r) => r.applied);
      expect(applied).toEqual(REAL_VERSIONS);
      expect(reports.filter((r) => r.applied.length === 0)).toHaveLength(3);
      const again = await applyMigrations(stores[0]!);
      expect(again).toEqual({ applied: [], alreadyApplied: REAL_VERSIONS });
    } finally {
      await Promise.all(stores.map((store) => store.close()));
    }
  });

  it('applies a new migration to a populated database without touching its data', async () => {
    const dir = await migrationsDirWith(secondMigration);
    dirs.push(dir);
    const store = await openStore(database.url);
    try {
      const session = makeSession();
      await store.sessions.upsert([session]);
      expect(await applyMigrations(store, dir)).toEqual({
        applied: [9001],
        alreadyApplied: REAL_VERSIONS,
      });
      expect(await store.sessions.get(session.sessionId)).toEqual(session);
    } finally {
      await store.close();
    }
  });

  it('brings a populated version-1 database forward with the right search answers', async () => {
    await withOlderDatabase(1, async ({ store, oldUrl, writer, url }) => {
      const start = Date.UTC(2026, 0, 1);
      const sessions = [1, 2, 3, 4].map((i) =>
        makeSession({
          templateId: 'forward',
          start: start + i * 60_000,
          fields: { merchant: `M${i % 2}`, score: i * 10 },
        }),
      );
      await writer.sessions.upsert(sessions);
      await copyIntoOlderSchema(url, oldUrl);
      const report = await applyMigrations(store);
      expect(report).toEqual({ applied: REAL_VERSIONS.slice(1), alreadyApplied: [1] });
      const page = await store.sessions.search({
        templateId: 'forward',
        where: [
          { field: 'merchant', op: '=', value: 'M0' },
          { field: 'score', op: '>=', value: 20 },
        ],
      });
      // Newest first: the field rows got their sessions' start times (migration 7).
      expect(page.sessions).toEqual([3, 1].map((i) => withoutNodes(sessions[i]!)));
    });
  });

  it('re-clusters populated rollups (migration 6) with the right dashboards, and keeps them incremental', async () => {
    await withOlderDatabase(5, async ({ store, oldUrl, writer, url }) => {
      await writer.rollups.define('clustered', {
        dimensions: ['channel'],
        measures: [{ field: 'amount', agg: 'p95' }],
      });
      const start = Date.UTC(2026, 0, 1);
      const sessions = [1, 2, 3, 4, 5].map((i) =>
        makeSession({
          templateId: 'clustered',
          start: start + i * 1_800_000,
          fields: { channel: i % 2 === 0 ? 'app' : 'web', amount: i * 3 },
        }),
      );
      await writer.sessions.upsert(sessions);
      await copyIntoOlderSchema(url, oldUrl);
      const query = {
        templateId: 'clustered',
        grain: 'hour' as const,
        from: start,
        to: start + 4 * 3_600_000,
        dimensions: ['channel'],
        measures: [
          { field: 'amount', agg: 'count' as const },
          { field: 'amount', agg: 'p95' as const },
        ],
        filters: {},
      };
      const before = aggregateSubjects(sessions, query);
      expect(before.length).toBeGreaterThan(2);
      await applyMigrations(store);
      expect(await store.rollups.query(query)).toEqual({ source: 'rollup', points: before });
      const moved = { ...sessions[0]!, version: 2, fields: { channel: 'app', amount: 100 } };
      await store.sessions.upsert([moved]);
      const after = await store.rollups.query(query);
      const expected = aggregateSubjects([moved, ...sessions.slice(1)], query);
      expect(after.points).toEqual(expected);
    });
  });

  it('creates the entity profile tables (migrations 9 and 11) with the same columns and indexes as the other backend', async () => {
    const { url, close } = await freshStore(backend);
    try {
      expect(await tableShape(url, 'entity_states')).toEqual({
        columns: [
          'template_id',
          'kind',
          'entity_key',
          'format',
          'version',
          'state_json',
          'updated_at',
        ],
        indexes: {
          primary: ['template_id', 'kind', 'entity_key'],
          idx_entity_states_updated: ['template_id', 'updated_at'],
        },
      });
      const ends = ['template_id', 'kind_a', 'key_a', 'kind_b', 'key_b'];
      expect(await tableShape(url, 'identity_edges')).toEqual({
        columns: [...ends, 'first_seen', 'last_seen', 'session_count', 'version', 'updated_at'],
        indexes: {
          primary: ends,
          idx_identity_edges_b: ['template_id', 'kind_b', 'key_b', 'kind_a', 'key_a'],
          idx_identity_edges_seen: ['template_id', 'last_seen'],
        },
      });
      expect(await tableShape(url, 'identity_nodes')).toEqual({
        columns: ['template_id', 'kind', 'entity_key', 'last_seen', 'version', 'updated_at'],
        indexes: {
          primary: ['template_id', 'kind', 'entity_key'],
          idx_identity_nodes_seen: ['template_id', 'last_seen'],
        },
      });
    } finally {
      await close();
    }
  });

  it('brings a populated version-8 database forward to entity profiles without touching its sessions', async () => {
    await withOlderDatabase(8, async ({ store, oldUrl, writer, url }) => {
      const session = makeSession({ templateId: 'profiles', fields: { account_id: 'A1' } });
      await writer.sessions.upsert([session]);
      await copyIntoOlderSchema(url, oldUrl);
      expect(await applyMigrations(store)).toEqual({
        applied: REAL_VERSIONS.filter((v) => v > 8),
        alreadyApplied: REAL_VERSIONS.filter((v) => v <= 8),
      });
      expect(await store.sessions.get(session.sessionId)).toEqual(session);
      const state = {
        templateId: 'profiles',
        kind: 'account',
        key: 'A1',
        format: 'weft.profiles/1',
        version: 1,
        state: '{}',
      };
      expect(await store.entityStates.save([state])).toEqual({ written: 1, stale: 0 });
    });
  });

  it('keeps the rollups of a populated version-9 database on hours (migration 10), and gives new ones day rows', async () => {
    await withOlderDatabase(9, async ({ store, oldUrl, writer, url }) => {
      const spec = {
        dimensions: ['channel'],
        measures: [{ field: 'amount', agg: 'p95' as const }],
      };
      await writer.rollups.define('days', spec);
      const day = 86_400_000;
      const start = Date.UTC(2026, 0, 1);
      const sessions = [1, 2, 3, 4, 5, 6].map((i) =>
        makeSession({
          templateId: 'days',
          start: start + (i % 3) * day + i * 3_600_000,
          fields: { channel: i % 2 === 0 ? 'app' : 'web', amount: i * 2 },
        }),
      );
      await writer.sessions.upsert(sessions);
      // A version-9 writer stored no day rows; today's writer did, the copy leaves them out.
      await copyIntoOlderSchema(url, oldUrl);
      await executeRaw(oldUrl, "DELETE FROM rollups WHERE grain = 'd'");
      await applyMigrations(store);
      const query = {
        templateId: 'days',
        grain: 'day' as const,
        from: start,
        to: start + 3 * day,
        dimensions: ['channel'],
        measures: [
          { field: 'amount', agg: 'count' as const },
          { field: 'amount', agg: 'p95' as const },
        ],
        filters: {},
      };
      const expected = aggregateSubjects(sessions, query);
      expect(expected.length).toBeGreaterThan(3);
      expect(await store.rollups.query(query)).toEqual({ source: 'rollup', points: expected });
      // A rollup defined now stores day rows and is preferred for day queries.
      await store.rollups.define('days', { ...spec, dimensions: ['channel', 'region'] });
      await executeRaw(oldUrl, "DELETE FROM rollups WHERE grain = 'h'");
      expect(await store.rollups.query(query)).toEqual({ source: 'rollup', points: expected });
    });
  });

  it('brings a populated version-11 database forward to writer epochs (migration 12) without touching its sessions', async () => {
    await withOlderDatabase(11, async ({ store, oldUrl, writer, url }) => {
      const session = makeSession({ templateId: 'epochs', version: 3_000_002 });
      await writer.sessions.upsert([session]);
      await copyIntoOlderSchema(url, oldUrl);
      expect(await applyMigrations(store)).toEqual({
        applied: REAL_VERSIONS.filter((v) => v > 11),
        alreadyApplied: REAL_VERSIONS.filter((v) => v <= 11),
      });
      expect(await store.sessions.get(session.sessionId)).toEqual(session);
      expect(await store.epochs.claim('epochs', 4)).toBe(4);
      expect(await store.epochs.claim('epochs')).toBe(5);
    });
  });

  it('refuses an applied migration whose file was edited', async () => {
    const dir = await migrationsDirWith({
      ...secondMigration,
      '9001_test_index.mysql.sql': `${secondMigration['9001_test_index.mysql.sql']}-- edited\n`,
      '9001_test_index.sqlite.sql': `${secondMigration['9001_test_index.sqlite.sql']}-- edited\n`,
    });
    dirs.push(dir);
    const store = await openStore(database.url);
    try {
      await expect(applyMigrations(store, dir)).rejects.toThrow(MigrationError);
      await expect(applyMigrations(store, dir)).rejects.toThrow(/forward-only/u);
    } finally {
      await store.close();
    }
  });

  it('refuses a migration that exists for only one dialect', async () => {
    const dir = await migrationsDirWith({ '9002_half.sqlite.sql': 'SELECT 1;\n' });
    dirs.push(dir);
    const store = await openStore(database.url);
    try {
      await expect(applyMigrations(store, dir)).rejects.toThrow(/exists only for sqlite/u);
    } finally {
      await store.close();
    }
  });
});
