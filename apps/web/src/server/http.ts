import { fieldIssues, parseQuery } from './query-params';
import { unavailableCode } from './unavailable';
import type { z } from 'zod';

/** The 400 body every route returns for bad input: which field, and why. */
export interface BadRequestBody {
  error: 'bad_request';
  issues: { field: string; reason: string }[];
}

/** Turns zod issues into `{ field, reason }` pairs (`field` is the dotted path, or `(body)`). */
export function toIssues(error: z.ZodError): BadRequestBody['issues'] {
  return fieldIssues(error, '(body)');
}

export function badRequest(issues: BadRequestBody['issues']): Response {
  return Response.json({ error: 'bad_request', issues } satisfies BadRequestBody, { status: 400 });
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; response: Response };

/** Bodies larger than this are refused (413) unless a route allows more. */
export const DEFAULT_MAX_BODY_BYTES = 100_000;

/**
 * Validates a JSON body; invalid JSON or shape becomes a 400 naming the field,
 * another content type a 415, a body over `maxBytes` a 413 (checked on the
 * bytes read, not only the header).
 */
export async function parseJsonBody<T>(
  request: Request,
  schema: z.ZodType<T>,
  maxBytes: number = DEFAULT_MAX_BODY_BYTES,
): Promise<Parsed<T>> {
  const tooLarge = (): Parsed<T> => ({
    ok: false,
    response: Response.json(
      {
        error: 'payload_too_large',
        issues: [{ field: '(body)', reason: `larger than ${maxBytes} bytes` }],
      },
      { status: 413 },
    ),
  });
  // Only JSON: an HTML form on another site cannot send it without a CORS preflight.
  if (!/^application\/json\b/i.test(request.headers.get('content-type') ?? '')) {
    return {
      ok: false,
      response: Response.json(
        {
          error: 'unsupported_media_type',
          issues: [{ field: '(body)', reason: 'send JSON with Content-Type: application/json' }],
        },
        { status: 415 },
      ),
    };
  }
  if (Number(request.headers.get('content-length') ?? 0) > maxBytes) return tooLarge();
  const text = await request.text();
  if (Buffer.byteLength(text) > maxBytes) return tooLarge();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { ok: false, response: badRequest([{ field: '(body)', reason: 'not valid JSON' }]) };
  }
  return parseValue(body, schema);
}

/**
 * Validates URL search parameters, one value each: a parameter given twice
 * (`?q=a&q=b`) is a 400 naming it, as the pages answer, rather than quietly
 * using one of them.
 */
export function parseSearchParams<T>(url: string, schema: z.ZodType<T>): Parsed<T> {
  const checked = parseQuery(schema, new URL(url).searchParams);
  return checked.ok
    ? { ok: true, value: checked.value }
    : { ok: false, response: badRequest(checked.issues) };
}

function parseValue<T>(value: unknown, schema: z.ZodType<T>): Parsed<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, response: badRequest(toIssues(parsed.error)) };
}

/**
 * Logs an unexpected failure on the server and answers with a message that
 * says what failed, never a stack trace: 503 (with Retry-After) when the
 * database is unreachable, else 500.
 */
export function serverError(what: string, error: unknown): Response {
  const unreachable = unavailableCode(error);
  if (unreachable) {
    console.error(`[weft-web] ${what}: the database is unreachable (${unreachable})`);
    return Response.json(
      {
        error: `${what} failed: the database is unreachable (${unreachable}). Retry in a moment; the server reconnects by itself.`,
      },
      { status: 503, headers: { 'retry-after': '5' } },
    );
  }
  console.error(`[weft-web] ${what}:`, error);
  const reason = error instanceof Error && error.name !== 'Error' ? ` (${error.name})` : '';
  return Response.json({ error: `${what} failed${reason}. See the server log.` }, { status: 500 });
}
