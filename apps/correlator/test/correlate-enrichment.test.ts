import { copyFile, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Session } from '@weft/templates';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../src/cli.js';
import { correlateBounded, inAppPurchaseTemplate } from './support/bounded-correlate.js';

interface CatalogRow {
  item_id: string;
  item_name: string;
  category: string;
  price_cents: number;
}

/** The item of a session's order (its client_order record) and the enrichment fields stored with it. */
function enrichmentOf(session: Session) {
  const order = session.nodes.find((n) => n.node === 'client_order')?.records[0];
  return {
    itemId: order?.fields.item_id,
    stored: {
      item_name: session.fields.item_name,
      category: session.fields.category,
      price_cents: session.fields.price_cents,
    },
  };
}

async function runCli(args: string[]): Promise<void> {
  const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
  try {
    process.exitCode = 0;
    await main(['node', 'weft', ...args]);
    expect(process.exitCode ?? 0, args.join(' ')).toBe(0);
  } finally {
    log.mockRestore();
  }
}

/**
 * Enrichment on the bounded path, SQLite store: the simulator writes the
 * `item_catalog` dimension table as `item_catalog.ndjson` next to the source
 * files; `weft correlate --input` reads it from there, or from the store once
 * `weft dimension load` put it there, and every stored order carries its
 * item's name, category and price.
 */
describe('weft correlate with enrichment lookups', () => {
  let dir: string;
  let data: string;
  let catalog: CatalogRow[];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'weft-enrichment-'));
    data = join(dir, 'data');
    await runCli(['simulate', '--out', data, '--orders', '60', '--seed', '11', '--faults', 'none']);
    catalog = (await readFile(join(data, 'item_catalog.ndjson'), 'utf8'))
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as CatalogRow);
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
    process.exitCode = 0;
  });

  const expectCatalogValues = (stored: readonly Session[]) => {
    const byId = new Map(catalog.map((row) => [row.item_id, row]));
    const orders = stored.filter((s) => s.mergedInto === null && enrichmentOf(s).itemId);
    expect(orders.length).toBeGreaterThanOrEqual(60);
    for (const session of orders) {
      const { itemId, stored: fields } = enrichmentOf(session);
      const row = byId.get(String(itemId));
      expect(row, `item ${String(itemId)} is in the catalog`).toBeDefined();
      expect(fields, session.sessionId).toEqual({
        item_name: row?.item_name,
        category: row?.category,
        price_cents: row?.price_cents,
      });
    }
  };

  it('reads item_catalog.ndjson from the --input directory: every order carries its catalog row', async () => {
    const { summary, stored } = await correlateBounded(data, `sqlite:${join(dir, 'files.db')}`);
    expect(summary.unknownFiles).toEqual(['truth.ndjson']);
    expect(summary.enrichmentMisses).toBeUndefined();
    expectCatalogValues(stored);
  });

  it('reads the table from the store when the directory has no file (weft dimension load)', async () => {
    const db = `sqlite:${join(dir, 'store.db')}`;
    const sources = join(dir, 'sources-only');
    await mkdir(sources);
    for (const name of await readdir(data))
      if (name !== 'item_catalog.ndjson') await copyFile(join(data, name), join(sources, name));
    await runCli([
      'dimension',
      'load',
      '--db',
      db,
      '--template',
      inAppPurchaseTemplate,
      join(data, 'item_catalog.ndjson'),
    ]);
    const { summary, stored } = await correlateBounded(sources, db);
    expect(summary.enrichmentMisses).toBeUndefined();
    expectCatalogValues(stored);
  });

  it('stores null fields for an item with no row and counts its key in the summary', async () => {
    const partial = join(dir, 'partial');
    await mkdir(partial);
    for (const name of await readdir(data)) await copyFile(join(data, name), join(partial, name));
    const { stored: all } = await correlateBounded(data, `sqlite:${join(dir, 'all.db')}`);
    const ordered = all
      .map((s) => String(enrichmentOf(s).itemId))
      .filter((id) => id !== 'undefined');
    const dropped = ordered[0]!;
    await writeFile(
      join(partial, 'item_catalog.ndjson'),
      catalog
        .filter((row) => row.item_id !== dropped)
        .map((row) => JSON.stringify(row))
        .join('\n'),
    );
    const { summary, stored } = await correlateBounded(
      partial,
      `sqlite:${join(dir, 'partial.db')}`,
    );
    expect(summary.enrichmentMisses).toEqual({ item: 1 });
    const withoutRow = stored.filter((s) => enrichmentOf(s).itemId === dropped);
    expect(withoutRow.length).toBeGreaterThan(0);
    for (const session of withoutRow)
      expect(enrichmentOf(session).stored).toEqual({
        item_name: null,
        category: null,
        price_cents: null,
      });
    const others = stored.filter(
      (s) => enrichmentOf(s).itemId !== dropped && enrichmentOf(s).itemId,
    );
    expect(others.every((s) => typeof s.fields.item_name === 'string')).toBe(true);
  });
});
