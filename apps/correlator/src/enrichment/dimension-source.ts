import { readFile } from 'node:fs/promises';
import type { Store } from '@weft/storage';
import { SourceError, messageOf } from '../errors.js';
import type { LookupPlan } from './lookup-plan.js';

/** Rows of a lookup's dimension table by column name, and where they came from (for logs). */
export interface DimensionRows {
  rows: readonly Readonly<Record<string, unknown>>[];
  origin: string;
}

/** Reads the rows of one lookup's dimension table; rejects when it cannot (the cache keeps the last good table). */
export type DimensionLoader = (plan: LookupPlan) => Promise<DimensionRows>;

/**
 * The store's dimension tables (`store.dimensions.read`): the default, and
 * the only source a live run refreshes from.
 *
 * @example const load = storeDimensions(store);
 */
export function storeDimensions(store: Pick<Store, 'dimensions'>): DimensionLoader {
  return async (plan) => ({
    rows: await store.dimensions.read(plan.spec),
    origin: `store table ${plan.spec.table}`,
  });
}

/**
 * Dimension files of a bounded run (`<table>.ndjson` among the inputs, as
 * `weft simulate` writes them) before the store: a table with files is read
 * from them (several files: later rows win by key, in the order given), any
 * other from `fallback`.
 *
 * @example const load = withDimensionFiles(new Map([['item_catalog', ['data/item_catalog.ndjson']]]), storeDimensions(store));
 */
export function withDimensionFiles(
  files: ReadonlyMap<string, readonly string[]>,
  fallback: DimensionLoader,
): DimensionLoader {
  return async (plan) => {
    const paths = files.get(plan.spec.table);
    if (paths === undefined || paths.length === 0) return fallback(plan);
    const rows = (await Promise.all(paths.map(readDimensionFile))).flat();
    return { rows, origin: `file ${paths.join(', ')}` };
  };
}

/**
 * The rows of an NDJSON dimension file: one JSON object per line, by column
 * name (`{"item_id":"I001","item_name":"Gem pack",…}`); blank lines are
 * skipped. Anything else stops the load naming the file and line: a
 * dimension table is configuration, not traffic, so nothing is dead-lettered.
 *
 * @example const rows = await readDimensionFile('data/item_catalog.ndjson');
 */
export async function readDimensionFile(path: string): Promise<Record<string, unknown>[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new SourceError(`Cannot read the dimension file ${path}: ${messageOf(error)}`, {
      cause: error,
    });
  }
  const rows: Record<string, unknown>[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new SourceError(`${path}:${i + 1}: not JSON (${messageOf(error)})`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      throw new SourceError(`${path}:${i + 1}: a dimension row must be a JSON object of columns`);
    rows.push(value as Record<string, unknown>);
  });
  return rows;
}
