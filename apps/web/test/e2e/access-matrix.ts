import type { APIRequestContext } from 'playwright-core';
import { ACCESS_TABLE } from '../security/access-table';
import type { Outcome, Who } from '../security/access-table';

/** What a response means for access; anything else (a 500, a 429) is reported as is. */
export function classify(status: number, location: string | null): Outcome | `HTTP ${number}` {
  if (status >= 300 && status < 400) {
    const target = location ? new URL(location, 'http://x').pathname : '';
    return target === '/login' ? 'login' : 'ok';
  }
  if (status === 401) return 'unauthenticated';
  if (status === 403) return 'forbidden';
  // A caller that got past authorization may still send the probe's deliberately bad input.
  if (status < 300 || status === 400 || status === 404) return 'ok';
  return `HTTP ${status}`;
}

/**
 * Sends every probe of the authorization table as every role and as a
 * signed-out visitor; returns one line per mismatch (empty when all hold).
 */
export async function runAccessMatrix(
  clients: Record<Who, APIRequestContext>,
  sessionId: string,
): Promise<{ checked: number; mismatches: string[] }> {
  const mismatches: string[] = [];
  let checked = 0;
  for (const [route, probes] of Object.entries(ACCESS_TABLE)) {
    for (const probe of probes) {
      const url = probe.url.replace('{sessionId}', encodeURIComponent(sessionId));
      for (const [who, expected] of Object.entries(probe.expect) as [Who, Outcome][]) {
        const response = await clients[who].fetch(url, {
          method: probe.method,
          maxRedirects: 0,
          ...(probe.body === undefined ? {} : { data: probe.body }),
        });
        const got = classify(response.status(), response.headers().location ?? null);
        checked += 1;
        if (got !== expected)
          mismatches.push(
            `${route} ${probe.method} ${url} as ${who}: expected ${expected}, got ${got}`,
          );
      }
    }
  }
  return { checked, mismatches };
}
