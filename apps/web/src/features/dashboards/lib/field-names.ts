/**
 * Template dashboard field references → the store's names. Templates say
 * `$conclusion`, `$duration_ms`, `$template_version`; @weft/storage calls them
 * `$verdict`, `$duration`, `$templateVersion`. Plain session fields pass through.
 */
const STORAGE_NAMES: Record<string, string> = {
  $conclusion: '$verdict',
  $duration_ms: '$duration',
  $template_version: '$templateVersion',
};

export function storageFieldName(ref: string): string {
  return STORAGE_NAMES[ref] ?? ref;
}

/** People-facing name of a dimension or measure field. */
export function fieldTitle(ref: string): string {
  const names: Record<string, string> = {
    $verdict: 'verdict',
    $conclusion: 'verdict',
    $severity: 'severity',
    $duration: 'session duration',
    $duration_ms: 'session duration',
  };
  return names[ref] ?? ref.replace(/_/g, ' ');
}

/** Drill-down dimensions of a template's dashboards (deduplicated, verdict/severity excluded). */
export function drilldownDimensions(
  dashboards: readonly { dimensions: readonly string[] }[],
): string[] {
  const names = dashboards.flatMap((d) => d.dimensions.map(storageFieldName));
  return [...new Set(names)].filter((n) => n !== '$verdict' && n !== '$severity');
}

/** Fields whose percentiles the latency chart shows: the template's percentile measures, else the session duration. */
export function latencyFields(
  dashboards: readonly { measures: readonly { agg: string; field?: string | undefined }[] }[],
): string[] {
  const fields = dashboards.flatMap((d) =>
    d.measures
      .filter((m) => /^p\d+$/.test(m.agg) && m.field)
      .map((m) => storageFieldName(m.field as string)),
  );
  return fields.length > 0 ? [...new Set(fields)] : ['$duration'];
}
