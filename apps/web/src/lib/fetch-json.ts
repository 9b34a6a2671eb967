/**
 * Turns a failed API response into one sentence for the user: the field and
 * reason of a 400, or the server's message, prefixed with what was attempted.
 */
export async function describeFailure(response: Response, what: string): Promise<string> {
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    // Not JSON (proxy error page, network cut): the status is all we have.
  }
  return describeFailureBody(response.status, body, what);
}

/** Pure part of {@link describeFailure}, for tests. */
export function describeFailureBody(status: number, body: unknown, what: string): string {
  if (body && typeof body === 'object') {
    const issues = (body as { issues?: { field: string; reason: string }[] }).issues;
    if (Array.isArray(issues) && issues.length > 0) {
      return `${what} failed: ${issues.map((i) => `${i.field}: ${i.reason}`).join('; ')}`;
    }
    const error = (body as { error?: unknown }).error;
    if (typeof error === 'string') return `${what} failed: ${error}`;
  }
  return `${what} failed (HTTP ${status}).`;
}
