import type { DimensionTableSpec } from '@weft/storage';
import type { SqlSource, Template } from '@weft/templates';
import { UsageError } from '../errors.js';

/** One session field an enrichment lookup adds, and the table column it comes from. */
export interface LookupField {
  field: string;
  column: string;
}

/**
 * What one enrichment lookup of a template reads and adds: its SQL source,
 * the dimension table spec (key column = the source field `on.record`,
 * columns = the lookup's fields, both by their `path`), the session field
 * whose value is the key, and how long a loaded table may be served.
 */
export interface LookupPlan {
  lookupId: string;
  source: SqlSource;
  /** The session (baseline) field whose value is looked up (`on.session`). */
  sessionField: string;
  spec: DimensionTableSpec;
  fields: readonly LookupField[];
  cacheTtlMs: number;
}

/**
 * The lookup plans of a template's `enrichment` section (validated templates
 * name SQL sources and their fields; this only maps them onto columns).
 *
 * @example lookupPlans(template) // [{ lookupId: 'item', spec: { table: 'item_catalog', key: { name: 'item_id', … } }, … }]
 */
export function lookupPlans(template: Template): LookupPlan[] {
  return template.enrichment.map((lookup) => {
    const source = template.sources.find((s) => s.id === lookup.source);
    if (source?.kind !== 'sql') {
      throw new UsageError(
        `enrichment "${lookup.id}" of template ${template.id} reads "${lookup.source}", which is not a SQL source`,
      );
    }
    const column = (field: string): { name: string; type: SqlSource['fields'][string]['type'] } => {
      const spec = source.fields[field];
      if (spec?.path === undefined || spec.path.includes('.')) {
        throw new UsageError(
          `field "${field}" of SQL source "${source.id}" (template ${template.id}) needs "path": the name of its column in table ${source.table}`,
        );
      }
      return { name: spec.path, type: spec.type };
    };
    const key = column(lookup.on.record);
    const fields = lookup.fields.map((field) => ({ field, column: column(field).name }));
    return {
      lookupId: lookup.id,
      source,
      sessionField: lookup.on.session,
      spec: {
        source: source.id,
        table: source.table,
        key,
        columns: lookup.fields.map(column).filter((c) => c.name !== key.name),
      },
      fields,
      cacheTtlMs: lookup.cacheTtl,
    };
  });
}
