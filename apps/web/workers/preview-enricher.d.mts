import type { Enricher } from '@weft/engine';
import type { FieldValue } from '@weft/templates';

/**
 * One enrichment lookup as the preview worker receives it (structured-clone
 * safe): each row is its key (`lookupKey` of the table's `on.record` column)
 * and the values of `fields`, in that order.
 */
export interface PreviewLookup {
  lookupId: string;
  /** The session (baseline) field whose value is looked up (`on.session`). */
  sessionField: string;
  /** The session fields the lookup adds (`fields` of the template's lookup). */
  fields: string[];
  rows: [key: string, values: FieldValue[]][];
}

export function lookupKey(value: FieldValue | undefined): string | null;

export function previewEnricher(lookups: readonly PreviewLookup[]): Enricher;
