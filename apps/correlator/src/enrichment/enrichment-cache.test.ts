import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadTemplate } from '@weft/templates';
import type { Template } from '@weft/templates';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../logging.js';
import { createMetrics } from '../metrics.js';
import type { CorrelatorMetrics } from '../metrics.js';
import type { DimensionLoader } from './dimension-source.js';
import { EnrichmentCache } from './enrichment-cache.js';

const example = fileURLToPath(
  new URL('../../../../packages/templates/examples/in-app-purchase.json', import.meta.url),
);
const template = loadTemplate(JSON.parse(readFileSync(example, 'utf8')));
const TTL = template.enrichment[0]!.cacheTtl; // 10 min

/** A dimension table whose rows (or failure) the test sets; counts the loads. */
function fakeTable(rows: Record<string, unknown>[]) {
  const table = { rows, failure: undefined as Error | undefined, loads: 0 };
  const load: DimensionLoader = async (plan) => {
    table.loads += 1;
    if (table.failure !== undefined) throw table.failure;
    return { rows: table.rows, origin: `fake ${plan.spec.table}` };
  };
  return { table, load };
}

async function openCache(load: DimensionLoader, clock: { now: number }, t: Template = template) {
  const metrics = createMetrics({ processMetrics: false });
  const cache = await EnrichmentCache.open({
    template: t,
    load,
    metrics,
    logger: createLogger({ level: 'silent' }),
    now: () => clock.now,
  });
  return { cache, metrics };
}

async function metricValue(
  metrics: CorrelatorMetrics,
  name: string,
  labels: Record<string, string>,
) {
  const metric = (await metrics.registry.getMetricsAsJSON()).find((m) => m.name === name);
  const value = (metric?.values ?? []).find((v) =>
    Object.entries(labels).every(([k, l]) => v.labels[k] === l),
  );
  return value?.value ?? 0;
}

const gems = { item_id: 'I001', item_name: 'Gem pack', category: 'gems', price_cents: 600 };

describe('EnrichmentCache', () => {
  it('adds the row of the session key, typed as the source declares, renamed to the session fields', async () => {
    const { load } = fakeTable([{ ...gems, price_cents: '600' }]);
    const { cache } = await openCache(load, { now: 0 });
    expect(cache.active).toBe(true);
    expect(cache.enrich({ item_id: 'I001', order_id: 'O1' })).toEqual({
      item_name: 'Gem pack',
      category: 'gems',
      price_cents: 600,
    });
  });

  it('gives null fields for a key with no row, counts it, and remembers the distinct keys', async () => {
    const { load } = fakeTable([gems]);
    const { cache, metrics } = await openCache(load, { now: 0 });
    const nulls = { item_name: null, category: null, price_cents: null };
    expect(cache.enrich({ item_id: 'I404' })).toEqual(nulls);
    expect(cache.enrich({ item_id: 'I404' })).toEqual(nulls);
    expect(cache.enrich({ item_id: 'I405' })).toEqual(nulls);
    expect(cache.enrich({ order_id: 'O-without-item' })).toEqual(nulls);
    cache.enrich({ item_id: 'I001' });
    const lookups = { template: 'in-app-purchase', lookup: 'item' };
    expect(
      await metricValue(metrics, 'weft_enrichment_lookups_total', { ...lookups, outcome: 'miss' }),
    ).toBe(3);
    expect(
      await metricValue(metrics, 'weft_enrichment_lookups_total', { ...lookups, outcome: 'hit' }),
    ).toBe(1);
    expect(cache.missingKeys()).toEqual({ item: 2 });
  });

  it('reloads a table once its cacheTtl has passed, and new lookups see the new rows', async () => {
    const clock = { now: 1_000 };
    const { table, load } = fakeTable([gems]);
    const { cache } = await openCache(load, clock);
    table.rows = [{ ...gems, category: 'premium gems', price_cents: 700 }];
    clock.now = 1_000 + TTL - 1;
    await cache.refreshDue();
    expect(table.loads).toBe(1);
    expect(cache.enrich({ item_id: 'I001' })).toMatchObject({ category: 'gems' });
    clock.now = 1_000 + TTL;
    await cache.refreshDue();
    expect(table.loads).toBe(2);
    expect(cache.enrich({ item_id: 'I001' })).toMatchObject({
      category: 'premium gems',
      price_cents: 700,
    });
  });

  it('keeps the last good table when a refresh fails, reports it on health, and recovers', async () => {
    const clock = { now: 0 };
    const { table, load } = fakeTable([gems]);
    const { cache, metrics } = await openCache(load, clock);
    expect(cache.health()).toEqual({ ok: true });
    table.failure = new Error('connect ECONNREFUSED 127.0.0.1:3306');
    clock.now = TTL;
    await cache.refreshDue();
    expect(cache.enrich({ item_id: 'I001' })).toMatchObject({ item_name: 'Gem pack' });
    const health = cache.health();
    expect(health.ok).toBe(false);
    expect(health.detail).toMatch(
      /item \(item_catalog\): connect ECONNREFUSED .*; serving the 1 rows loaded at 1970-01-01T00:00:00.000Z/u,
    );
    expect(
      await metricValue(metrics, 'weft_enrichment_loads_total', {
        lookup: 'item',
        outcome: 'failed',
      }),
    ).toBe(1);
    // Retried after the retry delay (30 s), not a whole TTL later.
    table.failure = undefined;
    table.rows = [{ ...gems, item_name: 'Gem pack XL' }];
    clock.now = TTL + 29_999;
    await cache.refreshDue();
    expect(cache.health().ok).toBe(false);
    clock.now = TTL + 30_000;
    await cache.refreshDue();
    expect(cache.health()).toEqual({ ok: true });
    expect(cache.enrich({ item_id: 'I001' })).toMatchObject({ item_name: 'Gem pack XL' });
  });

  it('serves null fields while a table never loaded, and starts serving it once it loads', async () => {
    const clock = { now: 0 };
    const { table, load } = fakeTable([gems]);
    table.failure = new Error('The dimension table "item_catalog" … does not exist');
    const { cache } = await openCache(load, clock);
    expect(cache.enrich({ item_id: 'I001' })).toEqual({
      item_name: null,
      category: null,
      price_cents: null,
    });
    expect(cache.health().detail).toMatch(/serving no rows \(its fields are null\)/u);
    table.failure = undefined;
    clock.now = 30_000;
    await cache.refreshDue();
    expect(cache.enrich({ item_id: 'I001' })).toMatchObject({ item_name: 'Gem pack' });
  });

  it('follows a template change: an unchanged lookup keeps its table, a new field is loaded at once', async () => {
    const clock = { now: 0 };
    const { table, load } = fakeTable([gems]);
    const { cache } = await openCache(load, clock);
    await cache.retarget({ ...template, version: 2 });
    expect(table.loads).toBe(1);
    const fewer: Template = {
      ...template,
      version: 3,
      enrichment: [{ ...template.enrichment[0]!, fields: ['category'] }],
    };
    await cache.retarget(fewer);
    expect(table.loads).toBe(2);
    expect(cache.enrich({ item_id: 'I001' })).toEqual({ category: 'gems' });
  });

  it('is inactive for a template without lookups', async () => {
    const { load } = fakeTable([]);
    const { cache } = await openCache(load, { now: 0 }, { ...template, enrichment: [] });
    expect(cache.active).toBe(false);
    expect(cache.enrich({ item_id: 'I001' })).toEqual({});
  });
});
