import type { RawInput } from '@weft/engine';
import type { DimensionTableSpec } from '@weft/storage';
import type { FieldValue } from '@weft/templates';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BehaviorTreeView } from '../../src/features/session';
import { checkDraft } from '../../src/features/wizard/server/template-actions';
import { purchaseRecords, purchaseTemplate } from '../e2e/seed';
import { backendNames, openTestStore } from './backends';
import type { TestStore } from './backends';

const T0 = Date.UTC(2026, 10, 24, 3, 0, 0);

/** The example template's item catalog, as `weft dimension load` creates it (every source field a column). */
const ITEM_CATALOG: DimensionTableSpec = {
  source: 'item_catalog',
  table: 'item_catalog',
  key: { name: 'item_id', type: 'string' },
  columns: [
    { name: 'item_name', type: 'string' },
    { name: 'category', type: 'string' },
    { name: 'price_cents', type: 'number' },
  ],
};

/** I0…I10 (not I11): order O-11 buys an item the catalog does not list. */
const CATALOG_ROWS = Array.from({ length: 11 }, (_, i) => ({
  item_id: `I${i}`,
  item_name: `Item ${i}`,
  category: i % 2 === 0 ? 'gems' : 'skins',
  price_cents: String(100 * (i + 1)), // as an NDJSON file may hold it: the column's type decides
}));

/** Two whole purchases: O-3 buys I3, O-11 buys I11. */
const SAMPLES: RawInput[] = [3, 11].flatMap((n) =>
  purchaseRecords(`O-${n}`, T0 + n * 60_000, 'ok', n).map(({ source, raw }) => ({
    source,
    raw: JSON.stringify(raw),
  })),
);

const ENRICHED = ['item_name', 'category', 'price_cents'];

/** The enrichment fields of each preview session, by business key. */
function enrichedFields(trees: BehaviorTreeView[]): Record<string, Record<string, FieldValue>> {
  return Object.fromEntries(
    trees.map((tree) => [
      tree.businessKey,
      Object.fromEntries(tree.keyFields.filter(([name]) => ENRICHED.includes(name))),
    ]),
  );
}

/**
 * The wizard's check of the example template (packages/templates/examples/
 * in-app-purchase.json) against a real store: the preview enriches its
 * sessions from the store's item_catalog table, or says why it cannot.
 */
describe.each(backendNames())('wizard preview enrichment on %s', (backend) => {
  let db: TestStore;
  beforeEach(async () => {
    db = await openTestStore(backend);
  });
  afterEach(async () => {
    await db?.close();
  });

  async function preview() {
    const result = await checkDraft(db.store, purchaseTemplate(), SAMPLES);
    expect(result.errors).toEqual([]);
    if (!result.preview?.ok) throw new Error(`no preview: ${JSON.stringify(result.preview)}`);
    return result.preview;
  }

  it('fills item_name, category and price_cents from the loaded item_catalog', async () => {
    await db.store.dimensions.load(ITEM_CATALOG, CATALOG_ROWS);
    const outcome = await preview();
    expect(outcome.notices).toEqual([]);
    expect(enrichedFields(outcome.model.trees)).toEqual({
      'O-3': { item_name: 'Item 3', category: 'skins', price_cents: 400 },
      'O-11': { item_name: null, category: null, price_cents: null },
    });
  });

  it('previews with null enrichment fields and a notice when item_catalog is missing', async () => {
    const outcome = await preview();
    expect(outcome.model.trees.map((t) => t.businessKey).sort()).toEqual(['O-11', 'O-3']);
    expect(enrichedFields(outcome.model.trees)).toEqual({
      'O-3': { item_name: null, category: null, price_cents: null },
      'O-11': { item_name: null, category: null, price_cents: null },
    });
    expect(outcome.notices).toHaveLength(1);
    expect(outcome.notices[0]).toMatchObject({ lookupId: 'item', table: 'item_catalog' });
    expect(outcome.notices[0]?.message).toContain('does not exist in this store');
    expect(outcome.notices[0]?.message).toContain(
      "weft dimension load --db <this app's WEFT_DB> --template in-app-purchase --source item_catalog FILE.ndjson",
    );
  });

  it('previews with a notice when item_catalog lacks a column the lookup reads', async () => {
    await db.store.dimensions.load(
      { ...ITEM_CATALOG, columns: ITEM_CATALOG.columns.filter((c) => c.name !== 'category') },
      CATALOG_ROWS.map(({ category: _category, ...row }) => row),
    );
    const outcome = await preview();
    expect(enrichedFields(outcome.model.trees)['O-3']).toEqual({
      item_name: null,
      category: null,
      price_cents: null,
    });
    expect(outcome.notices[0]?.message).toMatch(
      /could not read table item_catalog, so .* null in the preview\. .*no column "category"/u,
    );
  });
});
