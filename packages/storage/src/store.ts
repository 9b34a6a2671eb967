import { z } from 'zod';
import type { Session } from '@weft/templates';
import { addDeadLetters, listDeadLetters } from './dead-letters.js';
import type { StoreDialect } from './dialect/dialect.js';
import { openMysqlDialect } from './dialect/mysql/mysql-dialect.js';
import { openSqliteDialect } from './dialect/sqlite/sqlite-dialect.js';
import { StorageError, StorageValidationError } from './errors.js';
import { createFieldCatalogCache, listCatalogFields } from './field-catalog.js';
import { acknowledgeLate, enqueueLate, peekLate } from './late-queue.js';
import type { MigrationReport } from './migrations/migrator.js';
import { migrateDialect } from './migrations/migrator.js';
import { listOperatorActions, recordOperatorAction } from './operator-actions.js';
import type { OperatorAction } from './operator-actions.js';
import { addOrphans, listOrphans, removeOrphans } from './orphans.js';
import { queryDashboard } from './rollups/dashboard.js';
import { defineRollup } from './rollups/rollup-backfill.js';
import { purgeRollupsBefore } from './rollups/rollups.js';
import {
  exportSessions,
  findByBusinessKey,
  liveVersionsByBusinessKeys,
  getSession,
  purgeSessions,
} from './sessions/session-queries.js';
import type { LiveSessionVersion } from './sessions/session-queries.js';
import { searchSessions } from './sessions/session-search.js';
import { upsertSessions } from './sessions/session-writer.js';
import { getTemplate, listTemplates, listTemplateVersions, saveTemplate } from './templates.js';
import { parseStoreUrl } from './url.js';
import { enforceRetention } from './retention.js';
import {
  exportEntityStates,
  pageEntityStates,
  saveEntityStates,
} from './entities/entity-states.js';
import {
  exportIdentityEdges,
  pageIdentityEdges,
  saveIdentityEdges,
} from './entities/identity-edges.js';
import { identityNeighbours } from './entities/identity-neighbours.js';
import {
  purgeEntityStates,
  purgeIdentityEdges,
  purgeIdentityNodes,
} from './entities/entity-retention.js';
import {
  exportIdentityNodes,
  pageIdentityNodes,
  saveIdentityNodes,
} from './entities/identity-nodes.js';
import { entityFeatureHistory } from './entities/feature-history.js';
import type { RetentionOutcome, RetentionPolicy } from './retention.js';
import { loadDimensionTable, readDimensionTable } from './dimensions/dimension-tables.js';
import { claimEpoch, newestEpoch } from './writer-epochs.js';

/** A session with everything the detail view shows: nodes, fields, verdicts and operator actions. */
export interface SessionDetail {
  session: Session;
  operatorActions: OperatorAction[];
}

/** Options of `openStore`. */
export interface OpenStoreOptions {
  /** Connections in the MySQL pool (default 10). */
  poolSize?: number;
  /**
   * Lowers the estimated bytes one multi-row write statement may carry
   * (default: half the server's `max_allowed_packet`, at most 16 MiB; SQLite
   * 16 MiB). Rows are split into more statements, never dropped.
   */
  maxStatementBytes?: number;
}

const OpenStoreOptionsSchema = z.object({
  poolSize: z.number().int().min(1).optional(),
  maxStatementBytes: z.number().int().min(1024).optional(),
});

/**
 * The one storage API of Weft, the same on every backend. Obtain it with
 * `openStore`; call `applyMigrations` once before first use of a database.
 */
export interface Store {
  readonly backend: 'mysql' | 'sqlite';
  readonly sessions: {
    upsert: (batch: Parameters<typeof upsertSessions>[2]) => ReturnType<typeof upsertSessions>;
    get: (sessionId: string) => Promise<Session | undefined>;
    detail: (sessionId: string) => Promise<SessionDetail | undefined>;
    byBusinessKey: (
      businessKey: string,
      options?: Parameters<typeof findByBusinessKey>[2],
    ) => Promise<Session[]>;
    /** Id and version of the live sessions of a template under any of the keys (no nodes). */
    liveVersions: (
      templateId: string,
      businessKeys: readonly string[],
    ) => Promise<LiveSessionVersion[]>;
    search: (query: Parameters<typeof searchSessions>[1]) => ReturnType<typeof searchSessions>;
    export: (options?: { templateId?: string }) => AsyncGenerator<Session>;
    purge: (options: { endedBefore: number; batchSize?: number }) => Promise<number>;
  };
  readonly rollups: {
    define: (
      templateId: string,
      spec: unknown,
      options?: Parameters<typeof defineRollup>[3],
    ) => ReturnType<typeof defineRollup>;
    query: (query: unknown) => ReturnType<typeof queryDashboard>;
    purge: (options: { before: number; batchSize?: number }) => Promise<number>;
  };
  /** Retention: TiDB row TTLs where available, else a batched purge to run periodically. */
  readonly retention: {
    /** `now` (epoch ms, default the clock) is what the ages count back from. */
    enforce: (policy: RetentionPolicy, now?: number) => Promise<RetentionOutcome>;
  };
  readonly templates: {
    save: (input: Parameters<typeof saveTemplate>[1]) => Promise<void>;
    get: (templateId: string, version?: number) => ReturnType<typeof getTemplate>;
    list: () => ReturnType<typeof listTemplates>;
    versions: (templateId: string) => ReturnType<typeof listTemplateVersions>;
  };
  readonly fieldCatalog: { list: (templateId: string) => ReturnType<typeof listCatalogFields> };
  readonly deadLetters: {
    add: (letters: Parameters<typeof addDeadLetters>[1]) => Promise<void>;
    list: (options?: Parameters<typeof listDeadLetters>[1]) => ReturnType<typeof listDeadLetters>;
  };
  readonly orphans: {
    add: (orphans: Parameters<typeof addOrphans>[1]) => Promise<void>;
    list: (
      templateId: string,
      range?: Parameters<typeof listOrphans>[2],
    ) => ReturnType<typeof listOrphans>;
    remove: (keys: Parameters<typeof removeOrphans>[1]) => Promise<void>;
  };
  readonly lateQueue: {
    enqueue: (records: Parameters<typeof enqueueLate>[1]) => Promise<void>;
    peek: (limit?: number) => ReturnType<typeof peekLate>;
    acknowledge: (ids: readonly string[]) => Promise<void>;
  };
  readonly operatorActions: {
    record: (
      input: Parameters<typeof recordOperatorAction>[1],
    ) => ReturnType<typeof recordOperatorAction>;
    list: (sessionId: string) => ReturnType<typeof listOperatorActions>;
  };
  /**
   * Entity profile state (the engine's per-entity rolling features), one
   * versioned row per entity: a save wins only over a lower stored version.
   */
  readonly entityStates: {
    save: (states: Parameters<typeof saveEntityStates>[1]) => ReturnType<typeof saveEntityStates>;
    page: (query: Parameters<typeof pageEntityStates>[1]) => ReturnType<typeof pageEntityStates>;
    export: (
      options: Parameters<typeof exportEntityStates>[1],
    ) => ReturnType<typeof exportEntityStates>;
    purge: (options: Parameters<typeof purgeEntityStates>[1]) => Promise<number>;
  };
  /** Identity-graph edges (entities seen in the same sessions), versioned like entity states. */
  readonly identityEdges: {
    save: (edges: Parameters<typeof saveIdentityEdges>[1]) => ReturnType<typeof saveIdentityEdges>;
    page: (query: Parameters<typeof pageIdentityEdges>[1]) => ReturnType<typeof pageIdentityEdges>;
    export: (
      options: Parameters<typeof exportIdentityEdges>[1],
    ) => ReturnType<typeof exportIdentityEdges>;
    purge: (options: Parameters<typeof purgeIdentityEdges>[1]) => Promise<number>;
  };
  /**
   * Identity-graph nodes: every entity the graph has seen and when it was
   * last seen (alone too), versioned like entity states. With the edges, the
   * whole identity graph.
   */
  readonly identityNodes: {
    save: (nodes: Parameters<typeof saveIdentityNodes>[1]) => ReturnType<typeof saveIdentityNodes>;
    page: (query: Parameters<typeof pageIdentityNodes>[1]) => ReturnType<typeof pageIdentityNodes>;
    export: (
      options: Parameters<typeof exportIdentityNodes>[1],
    ) => ReturnType<typeof exportIdentityNodes>;
    purge: (options: Parameters<typeof purgeIdentityNodes>[1]) => Promise<number>;
  };
  /** What the entity page reads: the linked entities and the features over time. */
  readonly entities: {
    neighbours: (
      query: Parameters<typeof identityNeighbours>[1],
    ) => ReturnType<typeof identityNeighbours>;
    featureHistory: (
      query: Parameters<typeof entityFeatureHistory>[1],
    ) => ReturnType<typeof entityFeatureHistory>;
  };
  /**
   * SQL dimension tables that templates' enrichment lookups read (a source of
   * `kind: "sql"`, by its `table` name): `read` returns the key column and
   * the given columns of every row (or, with `limit`, of the first rows by
   * key), `load` upserts rows by key, creating a missing table.
   */
  readonly dimensions: {
    read: (spec: Parameters<typeof readDimensionTable>[1]) => ReturnType<typeof readDimensionTable>;
    load: (
      spec: Parameters<typeof loadDimensionTable>[1],
      rows: Parameters<typeof loadDimensionTable>[2],
    ) => ReturnType<typeof loadDimensionTable>;
  };
  /**
   * Writers' epochs, per template (migration 0012): a writer that versions
   * its rows `epoch × 1,000,000 + n` (the correlator's live runs and
   * backfills) claims its epoch here when it starts. `claim(templateId,
   * atLeast = 0)` returns one more than any epoch claimed before for the
   * template, or `atLeast` when higher, and records it; concurrent claims
   * never get the same epoch.
   */
  readonly epochs: {
    claim: (templateId: string, atLeast?: number) => Promise<number>;
    /** The highest epoch claimed for the template so far, or null when none was. */
    newest: (templateId: string) => Promise<number | null>;
  };
  /**
   * Refreshes the query planner's statistics (`ANALYZE`). Run it after a bulk
   * load and periodically: without statistics SQLite may drive a two-field
   * search from the less selective field.
   */
  analyze(): Promise<void>;
  close(): Promise<void>;
}

const dialects = new WeakMap<Store, StoreDialect>();

/**
 * Opens a store from a URL: `mysql://user[:pass]@host:port/db` (TiDB, MySQL,
 * MariaDB) or `sqlite:PATH` / `sqlite::memory:` (embedded).
 *
 * @example
 * const store = await openStore('sqlite::memory:');
 * await applyMigrations(store);
 * await store.sessions.upsert([session]);
 */
export async function openStore(url: string, options: OpenStoreOptions = {}): Promise<Store> {
  const location = parseStoreUrl(url);
  const { poolSize, maxStatementBytes } = parseOpenStoreOptions(options);
  const dialect =
    location.backend === 'mysql'
      ? await openMysqlDialect({ ...location, poolSize, maxStatementBytes })
      : await openSqliteDialect(location.path, {
          maxStatementBytes,
          ...(location.cacheMb === undefined ? {} : { cacheMb: location.cacheMb }),
        });
  const store = bindStore(dialect);
  dialects.set(store, dialect);
  return store;
}

/**
 * Applies the pending migrations under the migration lock; safe to call from
 * several processes at once.
 *
 * @example const { applied } = await applyMigrations(store);
 */
export async function applyMigrations(
  store: Store,
  migrationsDir?: string,
): Promise<MigrationReport> {
  return migrateDialect(dialectOf(store), migrationsDir);
}

function parseOpenStoreOptions(options: OpenStoreOptions): OpenStoreOptions {
  const parsed = OpenStoreOptionsSchema.safeParse(options);
  if (parsed.success) return parsed.data;
  throw new StorageValidationError(
    `Invalid openStore options: ${parsed.error.issues
      .map((issue) => `${issue.path.join('.')}: ${issue.message}`)
      .join('; ')}. poolSize is a positive integer, maxStatementBytes an integer of at least 1024.`,
  );
}

function dialectOf(store: Store): StoreDialect {
  const dialect = dialects.get(store);
  if (dialect === undefined) throw new StorageError('This object was not returned by openStore().');
  return dialect;
}

function bindStore(dialect: StoreDialect): Store {
  const db = dialect.db;
  const catalog = createFieldCatalogCache();
  return {
    backend: dialect.backend,
    sessions: {
      upsert: (batch) => upsertSessions(dialect, catalog, batch),
      get: (sessionId) => getSession(db, sessionId),
      detail: async (sessionId) => {
        const session = await getSession(db, sessionId);
        if (session === undefined) return undefined;
        return { session, operatorActions: await listOperatorActions(db, sessionId) };
      },
      byBusinessKey: (businessKey, options) => findByBusinessKey(db, businessKey, options),
      liveVersions: (templateId, businessKeys) =>
        liveVersionsByBusinessKeys(db, templateId, businessKeys),
      search: (query) => searchSessions(dialect, query),
      export: (options) => exportSessions(dialect, options),
      purge: ({ endedBefore, batchSize }) => purgeSessions(dialect, endedBefore, batchSize),
    },
    rollups: {
      define: (templateId, spec, options) => defineRollup(dialect, templateId, spec, options),
      query: (query) => queryDashboard(dialect, query),
      purge: ({ before, batchSize }) => purgeRollupsBefore(dialect, before, batchSize),
    },
    retention: { enforce: (policy, now) => enforceRetention(dialect, policy, now) },
    templates: {
      save: (input) => saveTemplate(dialect, input),
      get: (templateId, version) => getTemplate(db, templateId, version),
      list: () => listTemplates(db),
      versions: (templateId) => listTemplateVersions(db, templateId),
    },
    fieldCatalog: { list: (templateId) => listCatalogFields(db, templateId) },
    deadLetters: {
      add: (letters) => addDeadLetters(dialect, letters),
      list: (options) => listDeadLetters(db, options),
    },
    orphans: {
      add: (orphans) => addOrphans(dialect, orphans),
      list: (templateId, range) => listOrphans(db, templateId, range),
      remove: (keys) => removeOrphans(db, keys),
    },
    lateQueue: {
      enqueue: (records) => enqueueLate(dialect, records),
      peek: (limit) => peekLate(dialect, limit),
      acknowledge: (ids) => acknowledgeLate(dialect, ids),
    },
    operatorActions: {
      record: (input) => recordOperatorAction(db, input),
      list: (sessionId) => listOperatorActions(db, sessionId),
    },
    entityStates: {
      save: (states) => saveEntityStates(dialect, states),
      page: (query) => pageEntityStates(dialect, query),
      export: (options) => exportEntityStates(dialect, options),
      purge: (options) => purgeEntityStates(dialect, options),
    },
    identityEdges: {
      save: (edges) => saveIdentityEdges(dialect, edges),
      page: (query) => pageIdentityEdges(dialect, query),
      export: (options) => exportIdentityEdges(dialect, options),
      purge: (options) => purgeIdentityEdges(dialect, options),
    },
    identityNodes: {
      save: (nodes) => saveIdentityNodes(dialect, nodes),
      page: (query) => pageIdentityNodes(dialect, query),
      export: (options) => exportIdentityNodes(dialect, options),
      purge: (options) => purgeIdentityNodes(dialect, options),
    },
    entities: {
      neighbours: (query) => identityNeighbours(dialect, query),
      featureHistory: (query) => entityFeatureHistory(dialect, query),
    },
    dimensions: {
      read: (spec) => readDimensionTable(dialect, spec),
      load: (spec, rows) => loadDimensionTable(dialect, spec, rows),
    },
    epochs: {
      claim: (templateId, atLeast) => claimEpoch(dialect, templateId, atLeast),
      newest: (templateId) => newestEpoch(dialect, templateId),
    },
    analyze: () => dialect.analyze(db),
    close: () => dialect.close(),
  };
}
