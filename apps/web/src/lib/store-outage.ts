/**
 * The mark a server render puts on a failure that means the session store
 * is unreachable (`digest` survives Next.js's production redaction of server
 * errors), so the error boundary can say so and retry by itself instead of
 * showing a generic failure. Shared by server code and the client boundary.
 */
export const STORE_UNREACHABLE_DIGEST = 'WEFT_STORE_UNREACHABLE';

/** How often a page waiting for the store tries again (also the 503's `Retry-After`). */
export const STORE_RETRY_SECONDS = 5;

/** True when a page failure (as the error boundary receives it) is a store outage. */
export function isStoreUnreachable(error: { digest?: string }): boolean {
  return error.digest === STORE_UNREACHABLE_DIGEST;
}
