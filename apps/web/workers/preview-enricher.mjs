// The wizard preview's enricher, built in the preview worker from the rows
// the server read (src/features/wizard/server/preview-enrichment.ts). Plain
// ESM without imports: the worker loads it as is, and the server's lookup
// builder imports `lookupKey` from here, so both sides of a lookup stringify
// keys by the same rule (the correlator's, apps/correlator/src/enrichment/
// lookup-table.ts). Types: preview-enricher.d.mts.

/**
 * The key a value is matched by: its text, so that a number key matches the
 * same digits in a string field (`600` and `"600"`); null when there is no
 * value to look up.
 *
 * @example lookupKey(600) // '600'
 */
export function lookupKey(value) {
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? value : String(value);
}

/**
 * The engine's synchronous Enricher over the preview's lookups: each adds
 * its fields from the row of the session's `sessionField` value, or null
 * fields when the session has no value or the table no row for it (as the
 * correlator does). Lookups read later win a field both add (validated
 * templates give each field one origin).
 *
 * @example previewEnricher([{ lookupId: 'item', sessionField: 'item_id', fields: ['category'], rows: [['I1', ['gems']]] }])({ item_id: 'I1' }) // { category: 'gems' }
 */
export function previewEnricher(lookups) {
  const tables = lookups.map((lookup) => ({
    sessionField: lookup.sessionField,
    fields: lookup.fields,
    byKey: new Map(lookup.rows),
  }));
  return (baseline) => {
    const out = {};
    for (const { sessionField, fields, byKey } of tables) {
      const key = lookupKey(baseline[sessionField]);
      const values = key === null ? undefined : byKey.get(key);
      fields.forEach((field, i) => {
        out[field] = values?.[i] ?? null;
      });
    }
    return out;
  };
}
