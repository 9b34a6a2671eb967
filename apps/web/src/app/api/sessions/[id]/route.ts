import { loadSession } from '@/features/session/server/load-session';
import { requireRoute } from '@/server/guard';
import { serverError } from '@/server/http';
import { getStore } from '@/server/store';

/** GET /api/sessions/:id: the session with its behavior-tree view model and operator actions. */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const access = await requireRoute({ resource: 'businessSession', action: 'read' });
  if (!access.ok) return access.response;
  const { id } = await params;
  try {
    const data = await loadSession(await getStore(), id);
    if (!data) return Response.json({ error: `No session ${id}.` }, { status: 404 });
    return Response.json({ session: data.session, tree: data.tree, actions: data.actions });
  } catch (error) {
    return serverError('Loading the session', error);
  }
}
