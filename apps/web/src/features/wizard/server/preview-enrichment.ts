import type { Store } from '@weft/storage';
import type { Template } from '@weft/templates';
import { unavailableCode } from '@/server/unavailable';
import {
  PREVIEW_LOOKUP_LIMITS,
  buildPreviewLookup,
  emptyLookup,
  missingTableNotice,
  planPreviewLookups,
  truncatedTableNotice,
  unreadTableNotice,
  unreadableTableNotice,
} from '../lib/preview-lookups';
import type { PreviewLookup, PreviewLookupPlan, PreviewNotice } from '../lib/preview-lookups';

/** The draft's lookups with the rows the preview worker enriches from, and what it could not read. */
export interface PreviewEnrichment {
  lookups: PreviewLookup[];
  notices: PreviewNotice[];
}

export const NO_ENRICHMENT: PreviewEnrichment = { lookups: [], notices: [] };

/**
 * Reads each enrichment lookup's dimension table of the draft from the store
 * (`store.dimensions.read`), within {@link PREVIEW_LOOKUP_LIMITS}. A table that
 * is missing or unreadable, or a lookup that cannot be planned, becomes an
 * empty lookup (null fields) and a notice naming the lookup, the table and
 * what to do. Each read asks the store for the rows still in the budget plus
 * one (the first by key), so a large table is never read whole and one row
 * more tells that it was cut, with a notice; once the total is taken, the
 * lookups after are not read. Only an
 * unreachable database throws (the route answers 503, as for any read).
 *
 * @example const { lookups, notices } = await readPreviewEnrichment(store, template);
 */
export async function readPreviewEnrichment(
  store: Pick<Store, 'dimensions'>,
  template: Template,
): Promise<PreviewEnrichment> {
  const lookups: PreviewLookup[] = [];
  const notices: PreviewNotice[] = [];
  let rowsLeft: number = PREVIEW_LOOKUP_LIMITS.rowsTotal;
  for (const planned of planPreviewLookups(template)) {
    if (!planned.ok) {
      lookups.push(planned.lookup);
      notices.push(planned.notice);
      continue;
    }
    const { plan } = planned;
    if (rowsLeft === 0) {
      lookups.push(emptyLookup(plan.lookupId, plan.sessionField, lookupFields(plan)));
      notices.push(unreadTableNotice(plan));
      continue;
    }
    const limit = Math.min(PREVIEW_LOOKUP_LIMITS.rowsPerLookup, rowsLeft);
    // One row past the budget: its presence is how the preview knows it cut the table.
    const read = await readRows(store, plan, limit + 1);
    if (!read.ok) {
      lookups.push(emptyLookup(plan.lookupId, plan.sessionField, lookupFields(plan)));
      notices.push(read.notice);
      continue;
    }
    const built = buildPreviewLookup(plan, read.rows, limit);
    rowsLeft -= Math.min(built.rowsRead, limit);
    lookups.push(built.lookup);
    if (built.truncated) notices.push(truncatedTableNotice(plan, limit));
  }
  return { lookups, notices };
}

async function readRows(
  store: Pick<Store, 'dimensions'>,
  plan: PreviewLookupPlan,
  limit: number,
): Promise<
  | { ok: true; rows: Awaited<ReturnType<Store['dimensions']['read']>> }
  | { ok: false; notice: PreviewNotice }
> {
  try {
    return { ok: true, rows: await store.dimensions.read({ ...plan.spec, limit }) };
  } catch (error) {
    if (unavailableCode(error)) throw error;
    // @weft/storage is loaded at run time, not bundled (src/server/store.ts): match its errors by name.
    const name = error instanceof Error ? error.name : '';
    if (name === 'DimensionTableMissingError')
      return { ok: false, notice: missingTableNotice(plan) };
    if (name === 'StorageValidationError')
      return { ok: false, notice: unreadableTableNotice(plan, (error as Error).message) };
    console.error(`[weft-web] preview: reading dimension table ${plan.spec.table}:`, error);
    return {
      ok: false,
      notice: unreadableTableNotice(
        plan,
        `the store failed to read it (${name || 'unknown error'}; see the server log)`,
      ),
    };
  }
}

function lookupFields(plan: PreviewLookupPlan): string[] {
  return plan.fields.map((f) => f.field);
}
