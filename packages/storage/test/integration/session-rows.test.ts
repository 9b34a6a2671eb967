import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FieldValue, Session, SessionNode } from '@weft/templates';
import type { SessionChange, Store } from '../../src/index.js';
import type { StoreDialect } from '../../src/dialect/dialect.js';
import { createFieldCatalogCache } from '../../src/field-catalog.js';
import { sessionToFieldRows, sessionToNodeRows } from '../../src/sessions/session-converters.js';
import { FIELD_VALUE_COLUMNS, NODE_VALUE_COLUMNS } from '../../src/sessions/session-row-delta.js';
import { isRetraction } from '../../src/sessions/session-batch.js';
import { upsertSessions } from '../../src/sessions/session-writer.js';
import { freshStore, openDialect, testBackends } from '../backends.js';
import { makeSession, retraction } from '../sessions-fixture.js';

const runs = Number(process.env.WEFT_PROPERTY_RUNS ?? 200);

/**
 * A later version writes only the field and node rows that changed; these
 * tests hold the rows themselves (not just what reads return) to what a
 * fresh write of the winning version would leave.
 */
const FIELD_NAMES = ['orderId', 'amount', 'channel', 'vip', 'note', 'risk'] as const;
const NODE_NAMES = ['create', 'pay', 'callback', 'deliver'] as const;

const fieldValue: fc.Arbitrary<FieldValue> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.constantFrom(0, 1, -2.5, 1e15),
  fc.constantFrom('', '0', '1', 'app', 'web', 'x'.repeat(300), `${'x'.repeat(300)}y`),
);

interface VersionShape {
  readonly fields: Record<string, FieldValue>;
  readonly nodes: readonly { readonly node: string; readonly records: number }[];
  readonly start: number;
  readonly templateId: string;
}

const versionShape: fc.Arbitrary<VersionShape> = fc.record({
  fields: fc.dictionary(fc.constantFrom(...FIELD_NAMES), fieldValue, { maxKeys: 6 }),
  nodes: fc.array(
    fc.record({ node: fc.constantFrom(...NODE_NAMES), records: fc.integer({ min: 0, max: 2 }) }),
    { maxLength: 4 },
  ),
  start: fc.constantFrom(1_000, 2_000),
  templateId: fc.constantFrom('rows-a', 'rows-b'),
});

/** One change of one of three sessions: a version (maybe stale), or a retraction. */
const step = fc.record({
  session: fc.integer({ min: 0, max: 2 }),
  kind: fc.constantFrom('version', 'version', 'version', 'retract'),
  shape: versionShape,
  /** A version no newer than one already sent, which must change nothing. */
  stale: fc.boolean(),
  endsBatch: fc.boolean(),
});

function toSession(id: string, version: number, shape: VersionShape): Session {
  const nodes: SessionNode[] = shape.nodes.map((n, i) => ({
    node: n.node,
    kind: n.node === 'callback' ? 'supplement' : 'baseline',
    records: Array.from({ length: n.records }, (_, r) => ({
      recordId: `${id}-${n.node}-${r}`,
      source: n.node,
      eventTime: shape.start + i,
      raw: { at: i, n: r },
      fields: {},
      late: false,
    })),
  }));
  return makeSession({
    sessionId: id,
    templateId: shape.templateId,
    businessKey: id,
    version,
    start: shape.start,
    end: shape.start + 10,
    nodes,
    fields: shape.fields,
  });
}

/** Rows as comparable text: the MySQL family returns BIGINT and DOUBLE columns as numbers or strings. */
function canonical(rows: readonly object[], columns: readonly string[]): string[] {
  return (rows as readonly Readonly<Record<string, unknown>>[])
    .map((row) =>
      JSON.stringify(
        columns.map((c) =>
          typeof row[c] === 'number' || c.endsWith('_time') ? Number(row[c]) : row[c],
        ),
      ),
    )
    .sort();
}

const FIELD_COLUMNS = ['session_id', 'field', ...FIELD_VALUE_COLUMNS] as const;
const NODE_COLUMNS = ['session_id', 'position', ...NODE_VALUE_COLUMNS] as const;

async function rowsOf(dialect: StoreDialect, ids: readonly string[]) {
  const fields = await dialect.db
    .selectFrom('session_fields')
    .select(FIELD_COLUMNS)
    .where('session_id', 'in', ids)
    .execute();
  const nodes = await dialect.db
    .selectFrom('session_nodes')
    .select(NODE_COLUMNS)
    .where('session_id', 'in', ids)
    .execute();
  return { fields: canonical(fields, FIELD_COLUMNS), nodes: canonical(nodes, NODE_COLUMNS) };
}

function expectedRows(sessions: readonly Session[]) {
  return {
    fields: canonical(sessions.flatMap(sessionToFieldRows), FIELD_COLUMNS),
    nodes: canonical(sessions.flatMap(sessionToNodeRows), NODE_COLUMNS),
  };
}

describe.each(testBackends())('field and node rows across versions on $name', (backend) => {
  let store: Store;
  let url: string;
  let close: () => Promise<void>;
  let dialect: StoreDialect;
  beforeAll(async () => {
    ({ store, url, close } = await freshStore(backend));
    dialect = await openDialect(url);
  });
  afterAll(async () => {
    await dialect?.close();
    await close?.();
  });

  it('leaves exactly the rows of each session’s winning version, whatever the batches', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 12 }), async (steps) => {
        run++;
        const ids = [0, 1, 2].map((i) => `rows-${run}-${i}`);
        const versions = [0, 0, 0];
        /** The model: per session the stored version, and the session whose rows are stored. */
        const storedVersion = new Map<string, number>();
        const rowsFrom = new Map<string, Session>();
        let batch: SessionChange[] = [];
        const flush = async () => {
          if (batch.length === 0) return;
          await store.sessions.upsert(batch);
          // The writer keeps each session's highest version of a batch, if newer than stored.
          const newest = new Map<string, SessionChange>();
          for (const change of batch) {
            const held = newest.get(change.sessionId);
            if (held === undefined || held.version < change.version)
              newest.set(change.sessionId, change);
          }
          for (const [id, change] of newest) {
            if ((storedVersion.get(id) ?? 0) >= change.version) continue;
            storedVersion.set(id, change.version);
            // A retraction keeps the rows of the version it retracts (a tombstone has none).
            if (!isRetraction(change)) rowsFrom.set(id, change);
          }
          batch = [];
        };
        for (const s of steps) {
          const id = ids[s.session]!;
          const sent = versions[s.session]!;
          const version = s.stale && sent > 1 ? sent - 1 : (versions[s.session] = sent + 1);
          batch.push(
            s.kind === 'retract'
              ? retraction(toSession(id, version, s.shape), 'survivor', version)
              : toSession(id, version, s.shape),
          );
          if (s.endsBatch) await flush();
        }
        await flush();
        expect(await rowsOf(dialect, ids)).toEqual(expectedRows([...rowsFrom.values()]));
        for (const [id, session] of rowsFrom) {
          if (storedVersion.get(id) === session.version)
            expect(await store.sessions.get(id)).toEqual(session);
        }
      }),
      { numRuns: Math.min(runs, 80) },
    );
  });

  it('ignores a stale version, which leaves the rows untouched', async () => {
    const v2 = toSession('rows-stale', 2, {
      fields: { amount: 2, note: 'kept' },
      nodes: [{ node: 'pay', records: 1 }],
      start: 1_000,
      templateId: 'rows-a',
    });
    const v1 = toSession('rows-stale', 1, {
      fields: { amount: 1 },
      nodes: [],
      start: 2_000,
      templateId: 'rows-b',
    });
    await store.sessions.upsert([v2]);
    expect(await store.sessions.upsert([v1])).toEqual({ applied: 0, ignored: 1 });
    expect(await rowsOf(dialect, ['rows-stale'])).toEqual(expectedRows([v2]));
  });

  it('under row TTLs drops the rows a session outlived before storing it again', async () => {
    const id = 'rows-ttl';
    const expired = toSession(id, 1, {
      fields: { amount: 1, note: 'from the expired version' },
      nodes: [
        { node: 'create', records: 1 },
        { node: 'pay', records: 1 },
      ],
      start: 1_000,
      templateId: 'rows-a',
    });
    await store.sessions.upsert([expired]);
    // TiDB's TTL expired the session row; its fields and nodes wait for their grace days.
    await dialect.db.deleteFrom('sessions').where('session_id', '=', id).execute();
    const again = toSession(id, 2, {
      fields: { amount: 2 },
      nodes: [{ node: 'create', records: 1 }],
      start: 1_000,
      templateId: 'rows-a',
    });
    const ttl: StoreDialect = { ...dialect, rowTtl: true };
    expect(await upsertSessions(ttl, createFieldCatalogCache(), [again])).toEqual({
      applied: 1,
      ignored: 0,
    });
    expect(await rowsOf(dialect, [id])).toEqual(expectedRows([again]));
  });

  it('under row TTLs drops them too when a retraction (a tombstone) comes first', async () => {
    const id = 'rows-ttl-tombstone';
    const shape = (fields: Record<string, FieldValue>, nodes: number) => ({
      fields,
      nodes: Array.from({ length: nodes }, () => ({ node: 'pay', records: 1 })),
      start: 1_000,
      templateId: 'rows-a',
    });
    await store.sessions.upsert([toSession(id, 1, shape({ amount: 1, note: 'old' }, 2))]);
    await dialect.db.deleteFrom('sessions').where('session_id', '=', id).execute();
    const ttl: StoreDialect = { ...dialect, rowTtl: true };
    const catalog = createFieldCatalogCache();
    const tombstoned = toSession(id, 2, shape({}, 0));
    await upsertSessions(ttl, catalog, [retraction(tombstoned, 'survivor', 2)]);
    expect(await rowsOf(dialect, [id])).toEqual({ fields: [], nodes: [] });
    const again = toSession(id, 3, shape({ amount: 3 }, 1));
    await upsertSessions(ttl, catalog, [again]);
    expect(await rowsOf(dialect, [id])).toEqual(expectedRows([again]));
  });
});
