import { RANGE_PRESET_NAMES } from './time-range';

/**
 * The dashboards page's links (ranges, dimensions, drill-down values), keyed
 * `range:30d`, `dim:channel`, `value:alipay`, `clear`, `template:x`. Assumes
 * `current` holds the page's current query values.
 */
export function dashboardLinks(
  current: { template: string | null; range: string; dim: string | null },
  dimensions: readonly string[],
  values: readonly string[],
  templates: readonly string[],
): Record<string, string> {
  const href = (q: Record<string, string | null>) => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(q)) if (v !== null && v !== '') params.set(k, v);
    return `/dashboards?${params.toString()}`;
  };
  const base = { template: current.template, range: current.range, dim: current.dim };
  const links: Record<string, string> = { clear: href(base) };
  for (const r of RANGE_PRESET_NAMES) links[`range:${r}`] = href({ ...base, range: r });
  for (const d of dimensions) links[`dim:${d}`] = href({ ...base, dim: d });
  for (const v of values) links[`value:${v}`] = href({ ...base, value: v });
  for (const t of templates)
    links[`template:${t}`] = href({ template: t, range: current.range, dim: null });
  return links;
}
