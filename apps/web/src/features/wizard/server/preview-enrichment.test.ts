import type { DimensionRow, Store } from '@weft/storage';
import { describe, expect, it } from 'vitest';
import { purchaseTemplate } from '@/features/session/lib/fixtures';
import { PREVIEW_LOOKUP_LIMITS } from '../lib/preview-lookups';
import { readPreviewEnrichment } from './preview-enrichment';

type ReadQuery = Parameters<Store['dimensions']['read']>[0];

/** A store whose dimension reads answer `read` (the real store's reads: test/integration/preview-enrichment.test.ts). */
function storeReading(
  read: (query: ReadQuery) => Promise<DimensionRow[]>,
): Pick<Store, 'dimensions'> {
  return { dimensions: { read, load: () => Promise.reject(new Error('not in this test')) } };
}

function named(name: string, message: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), { name }, extra);
}

/** The example template with a second lookup on the same table (keyed the same way). */
function twoLookups() {
  const template = purchaseTemplate();
  const catalog = template.sources.find((s) => s.id === 'item_catalog');
  if (catalog?.kind !== 'sql') throw new Error('the example has an item_catalog SQL source');
  catalog.fields.sku_name = { path: 'item_name', type: 'string', required: false };
  template.enrichment.push({
    id: 'sku',
    source: 'item_catalog',
    on: { session: 'item_id', record: 'item_id' },
    fields: ['sku_name'],
    cacheTtl: 60_000,
  });
  return template;
}

/** {@link twoLookups} and a third lookup on the same table. */
function threeLookups() {
  const template = twoLookups();
  const catalogSource = template.sources.find((s) => s.id === 'item_catalog');
  if (catalogSource?.kind !== 'sql') throw new Error('the example has an item_catalog SQL source');
  catalogSource.fields.sku_category = { path: 'category', type: 'string', required: false };
  template.enrichment.push({ ...template.enrichment[1]!, id: 'sku2', fields: ['sku_category'] });
  return template;
}

const catalog = (n: number): DimensionRow[] =>
  Array.from({ length: n }, (_, i) => ({
    item_id: `I${i}`,
    item_name: `Item ${i}`,
    category: 'gems',
    price_cents: i,
  }));

describe('readPreviewEnrichment', () => {
  it('reads each lookup table with the planned spec, limited to the budget + 1 rows', async () => {
    const specs: ReadQuery[] = [];
    const { lookups, notices } = await readPreviewEnrichment(
      storeReading((spec) => {
        specs.push(spec);
        return Promise.resolve(catalog(2));
      }),
      purchaseTemplate(),
    );
    expect(specs.map((s) => [s.table, s.key.name, s.columns.map((c) => c.name), s.limit])).toEqual([
      [
        'item_catalog',
        'item_id',
        ['item_name', 'category', 'price_cents'],
        PREVIEW_LOOKUP_LIMITS.rowsPerLookup + 1,
      ],
    ]);
    expect(notices).toEqual([]);
    expect(lookups[0]?.rows).toEqual([
      ['I0', ['Item 0', 'gems', 0]],
      ['I1', ['Item 1', 'gems', 1]],
    ]);
  });

  it('turns a missing table into an empty lookup and a notice with the load command', async () => {
    const { lookups, notices } = await readPreviewEnrichment(
      storeReading(() =>
        Promise.reject(named('DimensionTableMissingError', 'The dimension table "item_catalog"…')),
      ),
      purchaseTemplate(),
    );
    expect(lookups).toEqual([
      {
        lookupId: 'item',
        sessionField: 'item_id',
        fields: ['item_name', 'category', 'price_cents'],
        rows: [],
      },
    ]);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ lookupId: 'item', table: 'item_catalog' });
    expect(notices[0]?.message).toMatch(/does not exist in this store.*weft dimension load/u);
  });

  it("shows the store's own message for a table it refuses, and hides other failures' details", async () => {
    const refused = await readPreviewEnrichment(
      storeReading(() =>
        Promise.reject(
          named(
            'StorageValidationError',
            'The dimension table "item_catalog" has no column "category".',
          ),
        ),
      ),
      purchaseTemplate(),
    );
    expect(refused.notices[0]?.message).toContain('has no column "category".');

    const original = console.error;
    console.error = () => {};
    try {
      const failed = await readPreviewEnrichment(
        storeReading(() => Promise.reject(named('SqliteError', 'SELECT … secret detail'))),
        purchaseTemplate(),
      );
      expect(failed.notices[0]?.message).toContain(
        'the store failed to read it (SqliteError; see the server log)',
      );
      expect(failed.notices[0]?.message).not.toContain('secret detail');
      expect(failed.lookups[0]?.rows).toEqual([]);
    } finally {
      console.error = original;
    }
  });

  it('lets an unreachable database fail the check (the route answers 503)', async () => {
    const down = named('Error', 'connect ECONNREFUSED', { code: 'ECONNREFUSED' });
    await expect(
      readPreviewEnrichment(
        storeReading(() => Promise.reject(down)),
        purchaseTemplate(),
      ),
    ).rejects.toBe(down);
  });

  it('cuts each table at the per-lookup limit and all of them at the total, with notices', async () => {
    const { rowsPerLookup, rowsTotal } = PREVIEW_LOOKUP_LIMITS;
    const big = catalog(rowsPerLookup + 10);
    const limits: (number | undefined)[] = [];
    const { lookups, notices } = await readPreviewEnrichment(
      storeReading(({ limit }) => {
        limits.push(limit);
        return Promise.resolve(big.slice(0, limit));
      }),
      threeLookups(),
    );
    expect(limits).toEqual([rowsPerLookup + 1, rowsTotal - rowsPerLookup + 1]);
    expect(lookups.map((l) => l.rows.length)).toEqual([
      rowsPerLookup,
      rowsTotal - rowsPerLookup,
      0,
    ]);
    expect(notices.map((n) => n.lookupId)).toEqual(['item', 'sku', 'sku2']);
    expect(notices[0]?.message).toContain(
      `table item_catalog has more than ${rowsPerLookup.toLocaleString('en-US')} rows;`,
    );
    expect(notices[0]?.message).toContain(
      `so it uses the first ${rowsPerLookup.toLocaleString('en-US')} by item_id.`,
    );
    expect(notices[2]?.message).toMatch(/was not read, so sku_category is null in the preview/u);
  });

  it('asks each table for what is left of the total + 1, and cuts only a table that returns more', async () => {
    const { rowsPerLookup, rowsTotal } = PREVIEW_LOOKUP_LIMITS;
    // The tables have 30,000, exactly what is left (50,000), and more than is left.
    const sizes = [30_000, rowsPerLookup, rowsPerLookup + 10];
    const limits: (number | undefined)[] = [];
    const { lookups, notices } = await readPreviewEnrichment(
      storeReading(({ limit }) => {
        limits.push(limit);
        return Promise.resolve(catalog(sizes[limits.length - 1] ?? 0).slice(0, limit));
      }),
      threeLookups(),
    );
    const left = rowsTotal - 30_000 - rowsPerLookup;
    expect(limits).toEqual([rowsPerLookup + 1, rowsPerLookup + 1, left + 1]);
    expect(lookups.map((l) => l.rows.length)).toEqual([30_000, rowsPerLookup, left]);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ lookupId: 'sku2', table: 'item_catalog' });
    expect(notices[0]?.message).toContain(
      `has more than ${left.toLocaleString('en-US')} rows; the preview holds at most ${rowsPerLookup.toLocaleString('en-US')} per lookup and ${rowsTotal.toLocaleString('en-US')} in all, so it uses the first ${left.toLocaleString('en-US')} by item_id.`,
    );
  });
});
