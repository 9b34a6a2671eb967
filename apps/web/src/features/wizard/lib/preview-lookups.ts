import type { DimensionRow, DimensionTableSpec } from '@weft/storage';
import type { FieldValue, Template } from '@weft/templates';
import { lookupKey } from '../../../../workers/preview-enricher.mjs';
import type { PreviewLookup } from '../../../../workers/preview-enricher.mjs';

export type { PreviewLookup };

/**
 * How many dimension rows the preview holds. Every row is copied into the
 * preview worker inside its 3 s / 128 MB budget: 50,000 rows of four short
 * columns take ~25 MB of the worker's heap and ~0.1 s to copy and index on an
 * idle core, so even at the total a busy machine leaves the engine most of
 * its budget. Rows past a limit are left out with a notice.
 */
export const PREVIEW_LOOKUP_LIMITS = { rowsPerLookup: 50_000, rowsTotal: 100_000 } as const;

/** One enrichment lookup of a draft as the preview reads it (the correlator's lookup plan). */
export interface PreviewLookupPlan {
  templateId: string;
  lookupId: string;
  /** The session (baseline) field whose value is looked up (`on.session`). */
  sessionField: string;
  /** Key column: the SQL source field `on.record` (by its `path`); columns: the lookup's fields. */
  spec: DimensionTableSpec;
  fields: readonly { field: string; column: string }[];
}

/** Why a lookup's fields are null (or partly null) in the preview, and what to do about it. */
export interface PreviewNotice {
  lookupId: string;
  table: string;
  message: string;
}

/** A lookup the preview can read, or the empty lookup (null fields) and the reason it cannot. */
export type PlannedLookup =
  | { ok: true; plan: PreviewLookupPlan }
  | { ok: false; lookup: PreviewLookup; notice: PreviewNotice };

/**
 * The draft's enrichment lookups as dimension table reads, as the correlator
 * plans them (key column = the SQL source field `on.record`, columns = the
 * lookup's fields, both by their `path`). Assumes a validated template; a
 * lookup whose fields have no plain column `path` is planned as empty, with
 * a notice, where the correlator would refuse to start.
 *
 * @example planPreviewLookups(template) // [{ ok: true, plan: { lookupId: 'item', spec: { table: 'item_catalog', … }, … } }]
 */
export function planPreviewLookups(template: Template): PlannedLookup[] {
  return template.enrichment.map((lookup) => {
    const source = template.sources.find((s) => s.id === lookup.source);
    const table = source?.kind === 'sql' ? source.table : lookup.source;
    const fail = (reason: string): PlannedLookup => ({
      ok: false,
      lookup: emptyLookup(lookup.id, lookup.on.session, lookup.fields),
      notice: {
        lookupId: lookup.id,
        table,
        message: `${reason}; ${nullFields(lookup.fields)} in the preview.`,
      },
    });
    if (source?.kind !== 'sql')
      return fail(`Enrichment "${lookup.id}" reads "${lookup.source}", which is not a SQL source`);
    const columns = new Map<string, DimensionTableSpec['key']>();
    for (const field of [lookup.on.record, ...lookup.fields]) {
      const spec = source.fields[field];
      if (spec?.path === undefined || spec.path.includes('.'))
        return fail(
          `Enrichment "${lookup.id}": field "${field}" of SQL source "${source.id}" needs "path", the name of its column in table ${source.table}`,
        );
      columns.set(field, { name: spec.path, type: spec.type });
    }
    const key = columns.get(lookup.on.record)!;
    return {
      ok: true,
      plan: {
        templateId: template.id,
        lookupId: lookup.id,
        sessionField: lookup.on.session,
        spec: {
          source: source.id,
          table: source.table,
          key,
          columns: lookup.fields.map((f) => columns.get(f)!).filter((c) => c.name !== key.name),
        },
        fields: lookup.fields.map((field) => ({ field, column: columns.get(field)!.name })),
      },
    };
  });
}

/**
 * Indexes a dimension table's rows (by column name, as `store.dimensions.read`
 * returns them) by key for the preview worker: the key is `lookupKey` of the
 * key column (`600` → `"600"`), a row without one is skipped, a repeated key
 * keeps its last row, and the values of the lookup's fields are kept as
 * typed (anything that is not a field value reads as null). Only the first
 * `limit` rows are used.
 *
 * @example buildPreviewLookup(plan, [{ item_id: 'I1', category: 'gems' }], 50_000).lookup.rows // [['I1', ['gems']]]
 */
export function buildPreviewLookup(
  plan: PreviewLookupPlan,
  rows: readonly Readonly<DimensionRow>[],
  limit: number,
): { lookup: PreviewLookup; rowsRead: number; truncated: boolean } {
  const byKey = new Map<string, FieldValue[]>();
  for (const row of rows.slice(0, Math.max(0, limit))) {
    const key = lookupKey(row[plan.spec.key.name]);
    if (key === null) continue;
    byKey.set(
      key,
      plan.fields.map(({ column }) => fieldValue(row[column])),
    );
  }
  return {
    lookup: {
      lookupId: plan.lookupId,
      sessionField: plan.sessionField,
      fields: plan.fields.map((f) => f.field),
      rows: [...byKey],
    },
    rowsRead: rows.length,
    truncated: rows.length > limit,
  };
}

/** The lookup of a table the preview could not read: every session gets null fields. */
export function emptyLookup(
  lookupId: string,
  sessionField: string,
  fields: readonly string[],
): PreviewLookup {
  return { lookupId, sessionField, fields: [...fields], rows: [] };
}

/** The notice for a table that is not in the store, with the command that loads it. */
export function missingTableNotice(plan: PreviewLookupPlan): PreviewNotice {
  return notice(
    plan,
    `Enrichment "${plan.lookupId}" reads table ${plan.spec.table}, which does not exist in this store: ${nullFields(plan)} in the preview. Load its rows with \`${loadCommand(plan)}\` (until the draft is published, give --template its JSON file).`,
  );
}

/** The notice for a table the store could not read (`reason` says why). */
export function unreadableTableNotice(plan: PreviewLookupPlan, reason: string): PreviewNotice {
  return notice(
    plan,
    `Enrichment "${plan.lookupId}" could not read table ${plan.spec.table}, so ${nullFields(plan)} in the preview. ${/[.!?]$/u.test(reason) ? reason : `${reason}.`} To reload the table: \`${loadCommand(plan)}\`.`,
  );
}

/**
 * The notice for a table with more rows than the preview holds. The preview
 * reads `limit + 1` rows (first by key), so it knows the table is larger, not
 * how much.
 */
export function truncatedTableNotice(plan: PreviewLookupPlan, limit: number): PreviewNotice {
  const { rowsPerLookup, rowsTotal } = PREVIEW_LOOKUP_LIMITS;
  return notice(
    plan,
    `Enrichment "${plan.lookupId}": table ${plan.spec.table} has more than ${count(limit)} rows; the preview holds at most ${count(rowsPerLookup)} per lookup and ${count(rowsTotal)} in all, so it uses the first ${count(limit)} by ${plan.spec.key.name}. Sessions whose ${plan.sessionField} is not among them show null ${list(plan.fields.map((f) => f.field))} here; the correlator reads the whole table.`,
  );
}

/** The notice for a lookup left unread: the lookups before it took every row the preview holds. */
export function unreadTableNotice(plan: PreviewLookupPlan): PreviewNotice {
  return notice(
    plan,
    `Enrichment "${plan.lookupId}": table ${plan.spec.table} was not read, so ${nullFields(plan)} in the preview: the lookups before it took all ${count(PREVIEW_LOOKUP_LIMITS.rowsTotal)} rows the preview holds. The correlator reads every table.`,
  );
}

function notice(plan: PreviewLookupPlan, message: string): PreviewNotice {
  return { lookupId: plan.lookupId, table: plan.spec.table, message };
}

function loadCommand(plan: PreviewLookupPlan): string {
  return `weft dimension load --db <this app's WEFT_DB> --template ${plan.templateId} --source ${plan.spec.source} FILE.ndjson`;
}

function fieldValue(value: unknown): FieldValue {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  return typeof value === 'string' || typeof value === 'boolean' ? value : null;
}

function nullFields(of: PreviewLookupPlan | readonly string[]): string {
  const fields = 'fields' in of ? of.fields.map((f) => f.field) : of;
  return `${list(fields)} ${fields.length === 1 ? 'is' : 'are'} null`;
}

function list(names: readonly string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}
