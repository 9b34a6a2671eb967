import type { Store } from '@weft/storage';
import type { z } from 'zod';
import { requireRoute } from '@/server/guard';
import { badRequest, parseJsonBody, serverError } from '@/server/http';
import { getStore, isStorageValidationError } from '@/server/store';
import { SessionActionError } from './operator-actions';

type ActionContext = { sessionId: string; actor: string; now: number };
type SessionRouteContext = { params: Promise<{ id: string }> };

/** Maps a session action's failure to its HTTP answer (400/404/409 name the field; else 500). */
function actionFailure(what: string, error: unknown): Response {
  if (error instanceof SessionActionError) {
    if (error.status === 400) return badRequest([{ field: error.field, reason: error.message }]);
    return Response.json({ error: error.message, field: error.field }, { status: error.status });
  }
  if (isStorageValidationError(error))
    return badRequest([{ field: '(body)', reason: error.message }]);
  return serverError(what, error);
}

/**
 * The POST handler of an operator action on one session: role check, body
 * validation, the action with who and when, then 201 with the recorded action
 * or the failure's answer. Example:
 * `export const POST = sessionActionRoute(AnnotateSchema, annotateVerdict, 'Annotating the verdict');`
 */
export function sessionActionRoute<Body, Result>(
  schema: z.ZodType<Body>,
  action: (store: Store, input: Body & ActionContext) => Promise<Result>,
  what: string,
) {
  return async function POST(request: Request, { params }: SessionRouteContext): Promise<Response> {
    const access = await requireRoute({ resource: 'businessSession', action: 'act' });
    if (!access.ok) return access.response;
    const body = await parseJsonBody(request, schema);
    if (!body.ok) return body.response;
    try {
      const { id } = await params;
      const recorded = await action(await getStore(), {
        ...body.value,
        sessionId: id,
        actor: access.viewer.email,
        now: Date.now(),
      });
      return Response.json(recorded, { status: 201 });
    } catch (error) {
      return actionFailure(what, error);
    }
  };
}
