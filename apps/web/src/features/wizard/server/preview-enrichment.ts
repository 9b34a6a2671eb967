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
 * what to do; a table past the limits is cut (and once the total is taken,
 * the lookups after are not read), with a notice. Only an
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
    const read = await readRows(store, plan);
    if (!read.ok) {
      lookups.push(emptyLookup(plan.lookupId, plan.sessionField, lookupFields(plan)));
      notices.push(read.notice);
      continue;
    }
    const limit = Math.min(PREVIEW_LOOKUP_LIMITS.rowsPerLookup, rowsLeft);
    const built = buildPreviewLookup(plan, read.rows, limit);
    rowsLeft -= Math.min(built.rowsRead, limit);
    lookups.push(built.lookup);
    if (built.truncated) notices.push(truncatedTableNotice(plan, built.rowsRead, limit));
  }
  return { lookups, notices };
}

async function readRows(
  store: Pick<Store, 'dimensions'>,
  plan: PreviewLookupPlan,
): Promise<
  | { ok: true; rows: Awaited<ReturnType<Store['dimensions']['read']>> }
  | { ok: false; notice: PreviewNotice }
> {
  try {
    return { ok: true, rows: await store.dimensions.read(plan.spec) };
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
