import { CHECK_LIMITS, CheckSchema } from '@/features/wizard/server/schemas';
import { checkDraft } from '@/features/wizard/server/template-actions';
import { requireRoute } from '@/server/guard';
import { parseJsonBody, serverError } from '@/server/http';
import { getStore } from '@/server/store';

/** POST /api/templates/check { definition, samples }: validation, diff vs published, engine preview of the samples. */
export async function POST(request: Request): Promise<Response> {
  const access = await requireRoute({ resource: 'template', action: 'write' });
  if (!access.ok) return access.response;
  const body = await parseJsonBody(request, CheckSchema, CHECK_LIMITS.bodyBytes);
  if (!body.ok) return body.response;
  try {
    return Response.json(
      await checkDraft(await getStore(), body.value.definition, body.value.samples),
    );
  } catch (error) {
    return serverError('Checking the template', error);
  }
}
