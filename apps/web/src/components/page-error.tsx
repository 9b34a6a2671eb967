'use client';

import { useEffect } from 'react';
import { isStoreUnreachable, STORE_RETRY_SECONDS } from '@/lib/store-outage';

/**
 * What a page failure shows (the error boundaries render it). A session-store
 * outage (marked by the server: see `src/lib/store-outage.ts`) says so and
 * retries by itself every few seconds until the store answers; any other
 * failure offers a retry button and the reference to look up in the log.
 */
export function PageError({
  error,
  retry,
}: {
  error: Error & { digest?: string };
  retry: () => void;
}) {
  const outage = isStoreUnreachable(error);
  useEffect(() => {
    if (!outage) return;
    const timer = setInterval(retry, STORE_RETRY_SECONDS * 1000);
    return () => clearInterval(timer);
  }, [outage, retry]);
  if (outage) {
    return (
      <div className="error" role="alert" data-testid="store-unreachable">
        <h1>The session store is unreachable — retrying</h1>
        <p>
          Weft cannot reach its session store (the database in <code>WEFT_DB</code>) right now. This
          page tries again every {STORE_RETRY_SECONDS} seconds and opens by itself as soon as the
          store answers.
        </p>
        <button type="button" onClick={retry}>
          Try now
        </button>
      </div>
    );
  }
  return (
    <div className="error" role="alert">
      <h1>This page could not be loaded</h1>
      <p>
        The server failed while preparing it. Try again; if it keeps failing, the server log has the
        details{error.digest ? ` (reference ${error.digest})` : ''}.
      </p>
      <button type="button" onClick={retry}>
        Try again
      </button>
    </div>
  );
}
