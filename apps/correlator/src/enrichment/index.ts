export { EnrichmentCache } from './enrichment-cache.js';
export type { EnrichmentCacheOptions } from './enrichment-cache.js';
export { readDimensionFile, storeDimensions, withDimensionFiles } from './dimension-source.js';
export type { DimensionLoader, DimensionRows } from './dimension-source.js';
export { lookupPlans } from './lookup-plan.js';
export type { LookupField, LookupPlan } from './lookup-plan.js';
export { dimensionTables, openEnrichment } from './open-enrichment.js';
export { dimensionLoadSpec, loadDimensionFile } from './load-dimension.js';
export type { OpenEnrichmentOptions } from './open-enrichment.js';
