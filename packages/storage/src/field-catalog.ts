import type { Transaction } from 'kysely';
import type { Session } from '@weft/templates';
import { statementChunks } from './chunks.js';
import type { Executor, StoreDialect } from './dialect/dialect.js';
import type { Database, FieldCatalogTable, ValueKind } from './schema.js';
import { kindOf } from './sessions/session-converters.js';

/** The value types a field has been seen with, as search autocomplete shows them. */
export type FieldType = 'string' | 'number' | 'boolean' | 'null';

export interface CatalogField {
  field: string;
  types: FieldType[];
  firstSeen: number;
}

const TYPE_OF_KIND: Record<ValueKind, FieldType> = {
  s: 'string',
  l: 'string',
  n: 'number',
  b: 'boolean',
  z: 'null',
};

/**
 * Remembers which (template, field, kind) triples this process already
 * wrote, so the steady state of upserts skips the catalog entirely (nested
 * maps: checking a known field builds no key string).
 */
export interface FieldCatalogCache {
  knows(templateId: string, field: string, kind: ValueKind): boolean;
  /** Called after the transaction that wrote `rows` committed. */
  commit(rows: readonly FieldCatalogTable[]): void;
}

export function createFieldCatalogCache(): FieldCatalogCache {
  const known = new Map<string, Map<string, Set<ValueKind>>>();
  return {
    knows: (templateId, field, kind) => known.get(templateId)?.get(field)?.has(kind) === true,
    commit(rows) {
      for (const row of rows) {
        let fields = known.get(row.template_id);
        if (fields === undefined) known.set(row.template_id, (fields = new Map()));
        let kinds = fields.get(row.field);
        if (kinds === undefined) fields.set(row.field, (kinds = new Set()));
        kinds.add(row.value_kind);
      }
    },
  };
}

/**
 * Adds the fields of `sessions` the catalog does not know yet, and returns
 * the rows it wrote (to commit to the cache once the transaction has).
 */
export async function recordFieldKinds(
  dialect: StoreDialect,
  trx: Transaction<Database>,
  cache: FieldCatalogCache,
  sessions: readonly Session[],
  now: number,
): Promise<FieldCatalogTable[]> {
  const missing = new Map<string, FieldCatalogTable>();
  for (const s of sessions) {
    for (const [field, value] of Object.entries(s.fields)) {
      const kind = kindOf(value);
      if (cache.knows(s.templateId, field, kind)) continue;
      missing.set(`${s.templateId}\u0000${field}\u0000${kind}`, {
        template_id: s.templateId,
        field,
        value_kind: kind,
        first_seen: now,
      });
    }
  }
  const rows = [...missing.values()];
  for (const slice of statementChunks(
    rows,
    dialect.statementLimits,
    (row) => `field catalog row "${row.field}"`,
  )) {
    await dialect.insertIgnore(trx, 'field_catalog', slice);
  }
  return rows;
}

/**
 * The fields stored sessions of a template have had, alphabetically.
 *
 * @example await store.fieldCatalog.list('order') // [{ field: 'amount', types: ['number'], ... }]
 */
export async function listCatalogFields(
  executor: Executor,
  templateId: string,
): Promise<CatalogField[]> {
  const rows = await executor
    .selectFrom('field_catalog')
    .selectAll()
    .where('template_id', '=', templateId)
    .orderBy('field')
    .execute();
  const fields = new Map<string, CatalogField>();
  for (const row of rows) {
    const entry = fields.get(row.field) ?? {
      field: row.field,
      types: [],
      firstSeen: Number(row.first_seen),
    };
    const type = TYPE_OF_KIND[row.value_kind];
    if (!entry.types.includes(type)) entry.types.push(type);
    entry.firstSeen = Math.min(entry.firstSeen, Number(row.first_seen));
    fields.set(row.field, entry);
  }
  return [...fields.values()];
}
