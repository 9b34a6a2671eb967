import type { Template } from '@weft/templates';
import { describe, expect, it } from 'vitest';
import { purchaseTemplate } from '@/features/session/lib/fixtures';
import { previewEnricher } from '../../../../workers/preview-enricher.mjs';
import {
  PREVIEW_LOOKUP_LIMITS,
  buildPreviewLookup,
  missingTableNotice,
  planPreviewLookups,
  truncatedTableNotice,
  unreadableTableNotice,
} from './preview-lookups';
import type { PreviewLookupPlan } from './preview-lookups';

function itemPlan(template: Template = purchaseTemplate()): PreviewLookupPlan {
  const [planned] = planPreviewLookups(template);
  if (!planned?.ok) throw new Error(`expected a plan, got ${JSON.stringify(planned)}`);
  return planned.plan;
}

/** The plan of a lookup keyed by a number column (`sku`), filled from a string session field. */
const skuPlan: PreviewLookupPlan = {
  templateId: 't',
  lookupId: 'sku',
  sessionField: 'sku_text',
  spec: {
    source: 'skus',
    table: 'skus',
    key: { name: 'sku', type: 'number' },
    columns: [
      { name: 'title', type: 'string' },
      { name: 'active', type: 'boolean' },
    ],
  },
  fields: [
    { field: 'sku_title', column: 'title' },
    { field: 'sku_active', column: 'active' },
  ],
};

describe('planPreviewLookups', () => {
  it('reads the key column on.record and the lookup fields by their path, as the correlator does', () => {
    expect(itemPlan()).toEqual({
      templateId: 'in-app-purchase',
      lookupId: 'item',
      sessionField: 'item_id',
      spec: {
        source: 'item_catalog',
        table: 'item_catalog',
        key: { name: 'item_id', type: 'string' },
        columns: [
          { name: 'item_name', type: 'string' },
          { name: 'category', type: 'string' },
          { name: 'price_cents', type: 'number' },
        ],
      },
      fields: [
        { field: 'item_name', column: 'item_name' },
        { field: 'category', column: 'category' },
        { field: 'price_cents', column: 'price_cents' },
      ],
    });
  });

  it('plans a lookup whose field has no column path as empty, with a notice naming it', () => {
    const template = purchaseTemplate();
    const catalog = template.sources.find((s) => s.id === 'item_catalog');
    if (catalog?.kind !== 'sql') throw new Error('the example has an item_catalog SQL source');
    catalog.fields.category = { type: 'string', expr: 'raw.cat', required: false };
    const [planned] = planPreviewLookups(template);
    expect(planned).toEqual({
      ok: false,
      lookup: {
        lookupId: 'item',
        sessionField: 'item_id',
        fields: ['item_name', 'category', 'price_cents'],
        rows: [],
      },
      notice: {
        lookupId: 'item',
        table: 'item_catalog',
        message: expect.stringMatching(
          /field "category" of SQL source "item_catalog" needs "path".*item_name, category and price_cents are null in the preview/u,
        ),
      },
    });
  });
});

describe('buildPreviewLookup and the worker enricher', () => {
  it('adds the row of the session key, typed as read, and null fields for a key with no row', () => {
    const plan = itemPlan();
    const { lookup, rowsRead, truncated } = buildPreviewLookup(
      plan,
      [
        { item_id: 'I1', item_name: 'Gem pack', category: 'gems', price_cents: 600 },
        { item_id: 'I2', item_name: 'Skin', category: null, price_cents: 1200 },
      ],
      PREVIEW_LOOKUP_LIMITS.rowsPerLookup,
    );
    expect({ rowsRead, truncated }).toEqual({ rowsRead: 2, truncated: false });
    expect(lookup.rows).toEqual([
      ['I1', ['Gem pack', 'gems', 600]],
      ['I2', ['Skin', null, 1200]],
    ]);
    const enrich = previewEnricher([lookup]);
    expect(enrich({ item_id: 'I1', order_id: 'O1' })).toEqual({
      item_name: 'Gem pack',
      category: 'gems',
      price_cents: 600,
    });
    expect(enrich({ item_id: 'I2' })).toEqual({
      item_name: 'Skin',
      category: null,
      price_cents: 1200,
    });
    const nulls = { item_name: null, category: null, price_cents: null };
    expect(enrich({ item_id: 'I404' })).toEqual(nulls);
    expect(enrich({ item_id: null })).toEqual(nulls);
    expect(enrich({})).toEqual(nulls);
  });

  it('keeps numbers and booleans as such, and reads anything that is not a field value as null', () => {
    const { lookup } = buildPreviewLookup(
      skuPlan,
      [
        { sku: 1, title: 'one', active: true },
        { sku: 2, title: 'two', active: false },
        { sku: 3, title: undefined as unknown as null, active: NaN as unknown as null },
      ],
      10,
    );
    expect(lookup.rows).toEqual([
      ['1', ['one', true]],
      ['2', ['two', false]],
      ['3', [null, null]],
    ]);
  });

  it('matches keys by their text: a number key column and a string session value, and the reverse', () => {
    const bySku = previewEnricher([
      buildPreviewLookup(skuPlan, [{ sku: 600, title: 'six hundred', active: true }], 10).lookup,
    ]);
    expect(bySku({ sku_text: '600' })).toEqual({ sku_title: 'six hundred', sku_active: true });
    expect(bySku({ sku_text: 600 })).toEqual({ sku_title: 'six hundred', sku_active: true });
    // Text is matched as is, as in the correlator: "600.0" and " 600" are other keys.
    expect(bySku({ sku_text: '600.0' })).toEqual({ sku_title: null, sku_active: null });

    const byItem = previewEnricher([
      buildPreviewLookup(
        itemPlan(),
        [{ item_id: '42', item_name: 'Answer', category: 'x', price_cents: 4200 }],
        10,
      ).lookup,
    ]);
    expect(byItem({ item_id: 42 })).toMatchObject({ item_name: 'Answer' });
    expect(byItem({ item_id: true })).toMatchObject({ item_name: null });
  });

  it('skips rows without a key and keeps the last row of a repeated key', () => {
    const { lookup } = buildPreviewLookup(
      skuPlan,
      [
        { sku: null, title: 'no key', active: true },
        { sku: 7, title: 'first', active: true },
        { sku: 7, title: 'second', active: false },
      ],
      10,
    );
    expect(lookup.rows).toEqual([['7', ['second', false]]]);
  });

  it('uses only the first `limit` rows and says the table was cut', () => {
    const rows = Array.from({ length: 5 }, (_, i) => ({ sku: i, title: `t${i}`, active: true }));
    const { lookup, rowsRead, truncated } = buildPreviewLookup(skuPlan, rows, 3);
    expect({ rowsRead, truncated }).toEqual({ rowsRead: 5, truncated: true });
    expect(lookup.rows.map(([key]) => key)).toEqual(['0', '1', '2']);
    expect(previewEnricher([lookup])({ sku_text: 4 })).toEqual({
      sku_title: null,
      sku_active: null,
    });
  });
});

describe('preview notices', () => {
  it('name the lookup, the table and the command that loads it', () => {
    const plan = itemPlan();
    const missing = missingTableNotice(plan);
    expect(missing).toMatchObject({ lookupId: 'item', table: 'item_catalog' });
    expect(missing.message).toContain('Enrichment "item" reads table item_catalog');
    expect(missing.message).toContain('item_name, category and price_cents are null');
    expect(missing.message).toContain(
      "`weft dimension load --db <this app's WEFT_DB> --template in-app-purchase --source item_catalog FILE.ndjson`",
    );
    expect(unreadableTableNotice(plan, 'no column "category"').message).toMatch(
      /could not read table item_catalog, so .* are null in the preview\. no column "category"\. To reload the table: `weft dimension load/u,
    );
    expect(truncatedTableNotice(plan, 50_000).message).toContain(
      'table item_catalog has more than 50,000 rows; the preview holds at most 50,000 per lookup and 100,000 in all, so it uses the first 50,000 by item_id.',
    );
  });
});
