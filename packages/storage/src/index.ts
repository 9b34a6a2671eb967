export {
  BatchTooLargeError,
  DimensionTableMissingError,
  InvalidStoreUrlError,
  MigrationError,
  StatementTooLargeError,
  StorageError,
  StorageValidationError,
} from './errors.js';
export { applyMigrations, openStore } from './store.js';
export type { OpenStoreOptions, SessionDetail, Store } from './store.js';
export { parseStoreUrl } from './url.js';
export type { StoreLocation } from './url.js';
export type { MigrationReport } from './migrations/migrator.js';
export { BATCH_LIMITS, chunkSessionBatch } from './sessions/session-batch.js';
export type { SessionChange } from './sessions/session-batch.js';
export type { UpsertResult } from './sessions/session-writer.js';
export type { SessionSummary } from './sessions/session-converters.js';
export type { SearchPage } from './sessions/session-search.js';
export type { Predicate, SearchQuery } from './sessions/search-query.js';
export type { BusinessKeyLookup, LiveSessionVersion } from './sessions/session-queries.js';
export { RollupSpecSchema } from './rollups/rollup-spec.js';
export type { Aggregation, DefinedRollup, RollupSpec } from './rollups/rollup-spec.js';
export type { DefineRollupOptions } from './rollups/rollup-backfill.js';
export { aggregateSubjects } from './rollups/dashboard.js';
export type {
  DashboardPoint,
  DashboardQuery,
  DashboardResult,
  Grain,
} from './rollups/dashboard-query.js';
export type { StoredTemplate, TemplateVersionInput } from './templates.js';
export type { CatalogField, FieldType } from './field-catalog.js';
export type { StoredDeadLetter } from './dead-letters.js';
export type { QueuedLateRecord } from './late-queue.js';
export type { OperatorAction, OperatorActionInput } from './operator-actions.js';
export { ttlStatements } from './retention.js';
export type { RetentionOutcome, RetentionPolicy } from './retention.js';
export type {
  EntityRef,
  IdentityEdge,
  IdentityNode,
  StoredEntityState,
  VersionedSaveResult,
} from './entities/entity-converters.js';
export type {
  EntityStateInput,
  EntityStatePage,
  EntityStatePageQuery,
} from './entities/entity-states.js';
export type {
  IdentityEdgeInput,
  IdentityEdgePage,
  IdentityEdgePageQuery,
} from './entities/identity-edges.js';
export { EDGES_PER_ENTITY, EDGES_PER_HOP } from './entities/identity-neighbours.js';
export type { EntityNode, Neighbourhood, NeighboursQuery } from './entities/identity-neighbours.js';
export type {
  FeatureHistoryPage,
  FeatureHistoryQuery,
  FeaturePoint,
} from './entities/feature-history.js';
export { ENTITY_KEY_MAX_CHARS, ENTITY_STATE_MAX_BYTES } from './entities/entity-inputs.js';
export type { EntityPurge } from './entities/entity-retention.js';
export type {
  IdentityNodeInput,
  IdentityNodePage,
  IdentityNodePageQuery,
} from './entities/identity-nodes.js';
export type {
  DimensionColumn,
  DimensionColumnType,
  DimensionReadQuery,
  DimensionTableSpec,
} from './dimensions/dimension-spec.js';
export { DIMENSION_KEY_MAX_CHARS, readDimensionValue } from './dimensions/dimension-converters.js';
export type { DimensionRow, DimensionValue } from './dimensions/dimension-converters.js';
export type { DimensionLoadResult } from './dimensions/dimension-tables.js';
