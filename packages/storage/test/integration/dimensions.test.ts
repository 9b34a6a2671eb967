import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DimensionTableMissingError, StorageValidationError } from '../../src/index.js';
import type { DimensionTableSpec, Store } from '../../src/index.js';
import { executeRaw, freshStore, testBackends } from '../backends.js';

/** The example template's `item_catalog` source as a dimension table spec. */
const catalog: DimensionTableSpec = {
  source: 'item_catalog',
  table: 'item_catalog',
  key: { name: 'item_id', type: 'string' },
  columns: [
    { name: 'item_name', type: 'string' },
    { name: 'category', type: 'string' },
    { name: 'price_cents', type: 'number' },
  ],
};

const byKey = (rows: readonly Record<string, unknown>[], key: string) =>
  [...rows].sort((a, b) => String(a[key]).localeCompare(String(b[key])));

describe.each(testBackends())('dimension tables on $name', (backend) => {
  let store: Store;
  let url: string;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ store, url, close } = await freshStore(backend));
  });
  afterAll(() => close?.());

  it('creates a missing table on load, upserts by key and reads the rows back typed', async () => {
    const first = await store.dimensions.load(catalog, [
      { item_id: 'I001', item_name: 'Gem pack', category: 'gems', price_cents: 600 },
      { item_id: 'I002', item_name: 'Skin', category: 'cosmetics', price_cents: '3000' },
    ]);
    expect(first).toEqual({ rows: 2, created: true });
    const second = await store.dimensions.load(catalog, [
      { item_id: 'I002', item_name: 'Skin (gold)', category: 'cosmetics', price_cents: 3500 },
      { item_id: 'I003', item_name: 'Booster', category: null },
      { item_id: 'I003', item_name: 'Booster x2', category: 'boosts', price_cents: 99.5 },
    ]);
    expect(second).toEqual({ rows: 2, created: false });
    expect(byKey(await store.dimensions.read(catalog), 'item_id')).toEqual([
      { item_id: 'I001', item_name: 'Gem pack', category: 'gems', price_cents: 600 },
      { item_id: 'I002', item_name: 'Skin (gold)', category: 'cosmetics', price_cents: 3500 },
      { item_id: 'I003', item_name: 'Booster x2', category: 'boosts', price_cents: 99.5 },
    ]);
  });

  it('reads only the key and the columns asked for', async () => {
    const rows = await store.dimensions.read({
      ...catalog,
      columns: [{ name: 'category', type: 'string' }],
    });
    expect(byKey(rows, 'item_id')[0]).toEqual({ item_id: 'I001', category: 'gems' });
  });

  it('reads at most `limit` rows, the first by key, the same on every read', async () => {
    const spec = { ...catalog, table: 'limited_catalog' };
    // Loaded out of key order, so the first rows stored are not the first by key.
    await store.dimensions.load(
      spec,
      ['L4', 'L2', 'L5', 'L1', 'L3'].map((item_id, i) => ({ item_id, price_cents: i })),
    );
    const firstThree = await store.dimensions.read({ ...spec, limit: 3 });
    expect(firstThree.map((row) => row.item_id)).toEqual(['L1', 'L2', 'L3']);
    expect(firstThree[0]).toEqual({
      item_id: 'L1',
      item_name: null,
      category: null,
      price_cents: 3,
    });
    expect(await store.dimensions.read({ ...spec, limit: 3 })).toEqual(firstThree);
    expect(await store.dimensions.read({ ...spec, limit: 10 })).toHaveLength(5);
    expect(await store.dimensions.read(spec)).toHaveLength(5);
  });

  it('refuses a limit that is not a positive integer, naming it', async () => {
    for (const limit of [0, -1, 1.5, Number.NaN]) {
      const read = store.dimensions.read({ ...catalog, limit });
      await expect(read, String(limit)).rejects.toThrow(StorageValidationError);
      await expect(read, String(limit)).rejects.toThrow(
        new RegExp(
          `source "item_catalog": limit must be a positive integer .*; got ${limit}\\.`,
          'u',
        ),
      );
    }
  });

  it('reads a table it did not create, converting values to the declared types', async () => {
    await executeRaw(
      url,
      'CREATE TABLE customer_kyc (customer_id VARCHAR(64) PRIMARY KEY, risk_tier VARCHAR(16), active INTEGER, since VARCHAR(32), score VARCHAR(16))',
    );
    await executeRaw(
      url,
      "INSERT INTO customer_kyc VALUES ('C1', 'high', 1, '2026-11-24T00:00:00Z', 'n/a'), ('C2', NULL, 0, NULL, '42')",
    );
    const rows = await store.dimensions.read({
      source: 'customer_kyc',
      table: 'customer_kyc',
      key: { name: 'customer_id', type: 'string' },
      columns: [
        { name: 'risk_tier', type: 'string' },
        { name: 'active', type: 'boolean' },
        { name: 'since', type: 'timestamp' },
        { name: 'score', type: 'number' },
      ],
    });
    expect(byKey(rows, 'customer_id')).toEqual([
      {
        customer_id: 'C1',
        risk_tier: 'high',
        active: true,
        since: Date.parse('2026-11-24T00:00:00Z'),
        score: null,
      },
      { customer_id: 'C2', risk_tier: null, active: false, since: null, score: 42 },
    ]);
  });

  it('says which source and table are missing and how to load it', async () => {
    const missing = store.dimensions.read({ ...catalog, source: 'items', table: 'no_such_table' });
    await expect(missing).rejects.toThrow(DimensionTableMissingError);
    await expect(missing).rejects.toThrow(
      /"no_such_table" of template source "items" does not exist.*weft dimension load .*--source items/u,
    );
    await expect(
      store.dimensions.read({ ...catalog, table: 'no_such_schema.item_catalog' }),
    ).rejects.toThrow(DimensionTableMissingError);
  });

  it('names a missing column and the columns the table has', async () => {
    await expect(
      store.dimensions.read({ ...catalog, columns: [{ name: 'colour', type: 'string' }] }),
    ).rejects.toThrow(
      /no column "colour"; its columns are item_id, item_name, category, price_cents/u,
    );
  });

  it('refuses hostile table and column names before any SQL is sent', async () => {
    const hostile = [
      'item_catalog; DROP TABLE sessions',
      'item_catalog`',
      'item_catalog"',
      'a.b.c',
      '1table',
      '',
      'x'.repeat(65),
    ];
    for (const table of hostile) {
      await expect(store.dimensions.read({ ...catalog, table }), table).rejects.toThrow(
        StorageValidationError,
      );
      await expect(store.dimensions.load({ ...catalog, table }, []), table).rejects.toThrow(
        StorageValidationError,
      );
    }
    await expect(
      store.dimensions.read({
        ...catalog,
        columns: [{ name: 'x` FROM sessions --', type: 'string' }],
      }),
    ).rejects.toThrow(StorageValidationError);
    // Nothing was dropped: the session tables still answer.
    expect(await store.sessions.get('no-such-session')).toBeUndefined();
  });

  it('refuses rows that do not fit the declared types, writing none of them', async () => {
    const bad = [
      [{ item_id: 'I009', price_cents: 'six' }, /Row 2: column "price_cents" is declared number/u],
      [{ item_name: 'no key' }, /Row 2: the key column "item_id" is missing/u],
      [{ item_id: 'k'.repeat(256) }, /has 256 characters; keys are at most 255/u],
      [{ item_id: 'I009', item_name: { nested: true } }, /column "item_name" is declared string/u],
    ] as const;
    for (const [row, message] of bad) {
      await expect(
        store.dimensions.load(catalog, [{ item_id: 'I008', item_name: 'fine' }, row]),
      ).rejects.toThrow(message);
    }
    const ids = (await store.dimensions.read(catalog)).map((row) => row.item_id);
    expect(ids).not.toContain('I008');
  });

  it('loads a table in a schema of its own (schema.table) where the backend has one', async () => {
    if (backend.name === 'sqlite') {
      // An unattached schema reads as a missing table on SQLite.
      await expect(
        store.dimensions.read({ ...catalog, table: 'dim.item_catalog' }),
      ).rejects.toThrow(DimensionTableMissingError);
      return;
    }
    const schema = `${new URL(url).pathname.slice(1)}`;
    const spec = { ...catalog, table: `${schema}.item_catalog_qualified` };
    await store.dimensions.load(spec, [{ item_id: 'Q1', item_name: 'Qualified', price_cents: 1 }]);
    expect(await store.dimensions.read(spec)).toEqual([
      { item_id: 'Q1', item_name: 'Qualified', category: null, price_cents: 1 },
    ]);
  });

  it('writes thousands of rows in several statements', async () => {
    const rows = Array.from({ length: 5_000 }, (_, i) => ({
      item_id: `B${String(i).padStart(5, '0')}`,
      item_name: `bulk ${i}`,
      category: i % 2 === 0 ? 'even' : 'odd',
      price_cents: i,
    }));
    const spec = { ...catalog, table: 'bulk_catalog' };
    expect(await store.dimensions.load(spec, rows)).toEqual({ rows: 5_000, created: true });
    const read = byKey(await store.dimensions.read(spec), 'item_id');
    expect(read).toHaveLength(5_000);
    expect(read[4_999]).toEqual(rows[4_999]);
  });
});
