import { readDimensionValue } from '@weft/storage';
import type { FieldValue } from '@weft/templates';
import type { LookupPlan } from './lookup-plan.js';

/** A lookup's dimension table in memory: the added fields by key, and where they came from. */
export interface LookupTable {
  /** Session field values (by session field name) per key (`lookupKey`). */
  readonly rows: ReadonlyMap<string, Readonly<Record<string, FieldValue>>>;
  /** Where the rows came from, for logs: `store table item_catalog`, `file data/item_catalog.ndjson`. */
  readonly origin: string;
  /** When they were loaded (the correlator's clock). */
  readonly loadedAt: number;
}

/**
 * The key a value is matched by: its text, so that a number key matches the
 * same digits in a string field (`600` and `"600"`); null when there is no
 * value to look up.
 */
export function lookupKey(value: FieldValue | undefined): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? value : String(value);
}

/**
 * Indexes the rows of a dimension table (by column name, from the store or a
 * file) by key, renaming columns to the session fields they fill and typing
 * values as the source declares them. A repeated key keeps its last row, as
 * loading the rows into the store would.
 *
 * @example buildLookupTable(plan, [{ item_id: 'I1', category: 'gems' }], 'file item_catalog.ndjson', now)
 */
export function buildLookupTable(
  plan: LookupPlan,
  rows: readonly Readonly<Record<string, unknown>>[],
  origin: string,
  loadedAt: number,
): LookupTable {
  const types = new Map([plan.spec.key, ...plan.spec.columns].map((c) => [c.name, c.type]));
  const byKey = new Map<string, Record<string, FieldValue>>();
  for (const row of rows) {
    const key = lookupKey(readDimensionValue(row[plan.spec.key.name], plan.spec.key.type));
    if (key === null) continue;
    const fields: Record<string, FieldValue> = {};
    for (const { field, column } of plan.fields)
      fields[field] = readDimensionValue(row[column], types.get(column) ?? 'string');
    byKey.set(key, fields);
  }
  return { rows: byKey, origin, loadedAt };
}

/** What an enricher found for one lookup of one session. */
export type LookupOutcome = 'hit' | 'miss' | 'no_key';

/**
 * The fields one lookup adds to a session whose baseline fields are
 * `baseline`: the row of its key, or null fields when the session has no
 * key value (`no_key`) or the table has no row for it (`miss`).
 */
export function lookUp(
  plan: LookupPlan,
  table: LookupTable,
  baseline: Readonly<Record<string, FieldValue>>,
): { fields: Record<string, FieldValue>; outcome: LookupOutcome; key: string | null } {
  const key = lookupKey(baseline[plan.sessionField]);
  const row = key === null ? undefined : table.rows.get(key);
  if (row !== undefined) return { fields: { ...row }, outcome: 'hit', key };
  const fields: Record<string, FieldValue> = {};
  for (const { field } of plan.fields) fields[field] = null;
  return { fields, outcome: key === null ? 'no_key' : 'miss', key };
}
