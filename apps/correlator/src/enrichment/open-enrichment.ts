import type { Store } from '@weft/storage';
import type { Template } from '@weft/templates';
import type { Logger } from '../logging.js';
import type { CorrelatorMetrics } from '../metrics.js';
import { dimensionFiles } from '../sources/index.js';
import { storeDimensions, withDimensionFiles } from './dimension-source.js';
import { EnrichmentCache } from './enrichment-cache.js';
import { lookupPlans } from './lookup-plan.js';

export interface OpenEnrichmentOptions {
  template: Template;
  store: Pick<Store, 'dimensions'>;
  /** Bounded inputs (`--input`): `<table>.ndjson` files there are read before the store. Live: none. */
  inputs: readonly string[];
  metrics: CorrelatorMetrics;
  logger: Logger;
  now: () => number;
}

/** The `table` names of the SQL sources the template's enrichment lookups read. */
export function dimensionTables(template: Template): string[] {
  return [...new Set(lookupPlans(template).map((plan) => plan.spec.table))];
}

/**
 * The enrichment cache of a run: each lookup's table from a `<table>.ndjson`
 * file among the bounded inputs when there is one (what `weft simulate`
 * writes next to the source files), else from the store's table of that
 * name (`weft dimension load` puts a file there).
 *
 * @example const cache = await openEnrichment({ template, store, inputs: ['data/'], metrics, logger, now: Date.now });
 */
export async function openEnrichment(options: OpenEnrichmentOptions): Promise<EnrichmentCache> {
  const files = await dimensionFiles(options.inputs, dimensionTables(options.template));
  return EnrichmentCache.open({
    template: options.template,
    load: withDimensionFiles(files, storeDimensions(options.store)),
    metrics: options.metrics,
    logger: options.logger,
    now: options.now,
  });
}
