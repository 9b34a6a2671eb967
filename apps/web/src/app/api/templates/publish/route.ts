import { ensureDashboardRollupsWithin } from '@/features/dashboards/server/ensure-rollups';
import { CHECK_LIMITS, PublishSchema } from '@/features/wizard/server/schemas';
import { PublishError, publishDraft } from '@/features/wizard/server/template-actions';
import { requireRoute } from '@/server/guard';
import { badRequest, parseJsonBody, serverError } from '@/server/http';
import { getStore } from '@/server/store';

/** POST /api/templates/publish { definition }: saves it as the next published version and defines its dashboards' rollups. */
export async function POST(request: Request): Promise<Response> {
  const access = await requireRoute({ resource: 'template', action: 'write' });
  if (!access.ok) return access.response;
  const body = await parseJsonBody(request, PublishSchema, CHECK_LIMITS.bodyBytes);
  if (!body.ok) return body.response;
  try {
    const store = await getStore();
    const version = await publishDraft(
      store,
      body.value.definition,
      access.viewer.email,
      Date.now(),
    );
    // The new version's dashboards read rollups (a backfill of the stored sessions, in the background when long).
    const published = await store.templates.get(String(body.value.definition.id));
    if (published)
      await ensureDashboardRollupsWithin(store, published.templateId, published.definition, 2_000);
    return Response.json({ version }, { status: 201 });
  } catch (error) {
    if (error instanceof PublishError) return badRequest(error.issues);
    return serverError('Publishing the template', error);
  }
}
