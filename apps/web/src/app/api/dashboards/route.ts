import { toCsv } from '@/features/dashboards';
import { DashboardParamsSchema } from '@/features/dashboards/server/dashboard-params';
import { loadDashboards } from '@/features/dashboards/server/load-dashboards';
import { requireRoute } from '@/server/guard';
import { badRequest, parseSearchParams, serverError } from '@/server/http';
import { getStore, isStorageValidationError } from '@/server/store';

/**
 * GET /api/dashboards?template=…&range=30d&dim=channel&value=alipay&format=json|csv
 * The prepared charts as JSON, or the verdict mix per bucket as CSV.
 */
export async function GET(request: Request): Promise<Response> {
  const access = await requireRoute({ resource: 'dashboard', action: 'read' });
  if (!access.ok) return access.response;
  const params = parseSearchParams(request.url, DashboardParamsSchema);
  if (!params.ok) return params.response;
  try {
    const data = await loadDashboards(await getStore(), params.value, Date.now());
    if (params.value.format === 'json') return Response.json(data);
    const { labels, series } = data.volume;
    const csv = toCsv(
      ['bucket', ...series.map((s) => s.name)],
      labels.map((label, i) => [label, ...series.map((s) => s.values[i] ?? 0)]),
    );
    return new Response(csv, {
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': 'attachment; filename="weft-volume.csv"',
      },
    });
  } catch (error) {
    if (isStorageValidationError(error))
      return badRequest([{ field: 'dim', reason: error.message }]);
    return serverError('Loading the dashboards', error);
  }
}
