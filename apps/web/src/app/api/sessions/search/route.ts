import { SESSION_ROW_CSV_HEADER, sessionRowCsvCells } from '@/features/search';
import { SearchParamsSchema } from '@/features/search/server/search-params';
import { searchSessions } from '@/features/search/server/search-sessions';
import { toCsv } from '@/features/dashboards';
import { requireRoute } from '@/server/guard';
import { badRequest, parseSearchParams, serverError } from '@/server/http';
import { getStore, isStorageValidationError } from '@/server/store';

/** GET /api/sessions/search?q=…&cursor=…&limit=…&format=json|csv */
export async function GET(request: Request): Promise<Response> {
  const access = await requireRoute({ resource: 'businessSession', action: 'read' });
  if (!access.ok) return access.response;
  const params = parseSearchParams(request.url, SearchParamsSchema);
  if (!params.ok) return params.response;
  try {
    const result = await searchSessions(await getStore(), params.value);
    if (params.value.format === 'csv') {
      return new Response(toCsv(SESSION_ROW_CSV_HEADER, result.rows.map(sessionRowCsvCells)), {
        headers: {
          'content-type': 'text/csv; charset=utf-8',
          'content-disposition': 'attachment; filename="weft-sessions.csv"',
        },
      });
    }
    return Response.json(result);
  } catch (error) {
    if (isStorageValidationError(error)) return badRequest([{ field: 'q', reason: error.message }]);
    return serverError('Searching sessions', error);
  }
}
