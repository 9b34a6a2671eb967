import { z } from 'zod';
import { createFirstAdmin, SetupClosedError } from '@/server/bootstrap';
import { parseJsonBody, serverError } from '@/server/http';

const SetupSchema = z.object({
  name: z.string().trim().min(1, 'give a display name').max(100),
  email: z.email('must be an e-mail address'),
  password: z.string().min(8, 'must be at least 8 characters').max(128),
});

/** POST /api/setup: the first-run admin bootstrap (403 once any account exists). */
export async function POST(request: Request): Promise<Response> {
  const body = await parseJsonBody(request, SetupSchema);
  if (!body.ok) return body.response;
  try {
    await createFirstAdmin(body.value);
    return Response.json({ ok: true }, { status: 201 });
  } catch (error) {
    if (error instanceof SetupClosedError) {
      return Response.json({ error: error.message }, { status: 403 });
    }
    return serverError('Creating the first admin', error);
  }
}
