import Link from 'next/link';
import { dashboardLinks, fieldTitle, RANGE_PRESET_NAMES } from '@/features/dashboards';
import type { DashboardData } from '@/features/dashboards';
import { MalformedLink } from '@/components/malformed-link';
import { DashboardCharts } from '@/features/dashboards/components/dashboard-charts';
import { DashboardParamsSchema } from '@/features/dashboards/server/dashboard-params';
import { loadDashboards } from '@/features/dashboards/server/load-dashboards';
import { requirePage } from '@/server/guard';
import { malformedAddress } from '@/server/page-address';
import { parseQuery } from '@/server/query-params';
import { getStore, isStorageValidationError } from '@/server/store';

export const dynamic = 'force-dynamic';

export default async function DashboardsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requirePage({ resource: 'dashboard', action: 'read' });
  const parsed = parseQuery(DashboardParamsSchema, await searchParams);
  if (!parsed.ok) return <MalformedLink address={malformedAddress('dashboards', parsed.issues)} />;
  const params = parsed.value;
  let data: DashboardData;
  try {
    data = await loadDashboards(await getStore(), params, Date.now());
  } catch (error) {
    const message = isStorageValidationError(error)
      ? error.message
      : 'the session store did not answer; check WEFT_DB and the server log';
    if (!isStorageValidationError(error)) console.error('[weft-web] dashboards failed:', error);
    return (
      <p className="error" role="alert">
        Loading the dashboards failed: {message}
      </p>
    );
  }
  const links = dashboardLinks(
    { template: data.templateId, range: params.range, dim: data.dimension },
    data.dimensions,
    data.drilldown.map((r) => r.value),
    data.templateIds,
  );
  return (
    <>
      <h1>Risk dashboards</h1>
      <div className="panel row" style={{ justifyContent: 'space-between' }}>
        <div className="row" role="group" aria-label="Template">
          {data.templateIds.length === 0 && (
            <span className="muted">
              No template is stored yet: publish one in the template wizard.
            </span>
          )}
          {data.templateIds.map((t) => (
            <Link
              key={t}
              href={links[`template:${t}`] ?? '#'}
              style={t === data.templateId ? { fontWeight: 700 } : undefined}
            >
              {t}
            </Link>
          ))}
        </div>
        <div className="row" role="group" aria-label="Time range">
          {RANGE_PRESET_NAMES.map((r) => (
            <Link
              key={r}
              href={links[`range:${r}`] ?? '#'}
              aria-current={r === params.range ? 'true' : undefined}
              style={r === params.range ? { fontWeight: 700 } : undefined}
            >
              {r}
            </Link>
          ))}
        </div>
      </div>
      {data.filter && (
        <p className="notice" data-testid="drill-filter">
          Showing only {fieldTitle(data.filter.dim)} = <strong>{data.filter.value}</strong>.{' '}
          <Link href={links.clear ?? '/dashboards'}>Clear</Link>
        </p>
      )}
      <DashboardCharts data={data} hrefFor={links} />
    </>
  );
}
