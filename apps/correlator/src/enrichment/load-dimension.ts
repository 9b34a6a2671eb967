import { StorageValidationError } from '@weft/storage';
import type { DimensionLoadResult, DimensionTableSpec, Store } from '@weft/storage';
import type { SqlSource, Template } from '@weft/templates';
import { UsageError } from '../errors.js';
import { readDimensionFile } from './dimension-source.js';

/**
 * The table spec `weft dimension load` writes for a template's SQL source:
 * every field of the source as a column (by its `path`), keyed by `key` (a
 * source field), or else by the field the template's enrichment lookups of
 * that source match on (`on.record`).
 *
 * @example dimensionLoadSpec(template, 'item_catalog') // { table: 'item_catalog', key: { name: 'item_id', type: 'string' }, columns: [...] }
 */
export function dimensionLoadSpec(
  template: Template,
  sourceId: string | undefined,
  key?: string,
): DimensionTableSpec {
  const tables = template.sources.filter((s): s is SqlSource => s.kind === 'sql');
  const source =
    sourceId === undefined && tables.length === 1
      ? tables[0]
      : tables.find((s) => s.id === sourceId);
  if (source === undefined) {
    throw new UsageError(
      `--source: ${sourceId === undefined ? 'give' : `"${sourceId}" is not`} one of the SQL sources of template ${template.id} (${tables.map((s) => s.id).join(', ') || 'it has none'})`,
    );
  }
  const keys = [
    ...new Set(template.enrichment.filter((e) => e.source === source.id).map((e) => e.on.record)),
  ];
  const keyField = key ?? (keys.length === 1 ? keys[0] : undefined);
  if (keyField === undefined || source.fields[keyField] === undefined) {
    throw new UsageError(
      `--key: give the field of source "${source.id}" the rows are keyed by (${Object.keys(source.fields).join(', ')})${keys.length > 1 ? `; its lookups match on ${keys.join(' and ')}` : ''}`,
    );
  }
  const columns = Object.entries(source.fields).map(([field, spec]) => {
    if (spec.path === undefined || spec.path.includes('.'))
      throw new UsageError(
        `field "${field}" of SQL source "${source.id}" needs "path": the name of its column in table ${source.table}`,
      );
    return { field, name: spec.path, type: spec.type };
  });
  const keyColumn = columns.find((c) => c.field === keyField)!;
  return {
    source: source.id,
    table: source.table,
    key: { name: keyColumn.name, type: keyColumn.type },
    columns: columns
      .filter((c) => c.name !== keyColumn.name)
      .map(({ name, type }) => ({ name, type })),
  };
}

/**
 * `weft dimension load`: upserts the rows of an NDJSON file (one object of
 * columns per line, as `weft simulate` writes `item_catalog.ndjson`) into the
 * store's table of a template's SQL source, creating the table if missing.
 * Bad rows stop the load before anything is written (exit 2, naming the file).
 *
 * @example await loadDimensionFile(store, template, { source: 'item_catalog', file: 'data/item_catalog.ndjson' });
 */
export async function loadDimensionFile(
  store: Pick<Store, 'dimensions'>,
  template: Template,
  options: { source?: string; key?: string; file: string },
): Promise<DimensionLoadResult & { table: string }> {
  const spec = dimensionLoadSpec(template, options.source, options.key);
  const rows = await readDimensionFile(options.file);
  try {
    return { ...(await store.dimensions.load(spec, rows)), table: spec.table };
  } catch (error) {
    if (error instanceof StorageValidationError)
      throw new UsageError(`${options.file}: ${error.message}`);
    throw error;
  }
}
