'use client';

/** Any page failure inside the signed-in shell: say what failed and offer a retry. */
export default function PageError({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return (
    <div className="error" role="alert">
      <h1>This page could not be loaded</h1>
      <p>
        The server failed while preparing it (usually the session store is unreachable: check
        WEFT_DB and the server log{error.digest ? `, reference ${error.digest}` : ''}).
      </p>
      <button type="button" onClick={reset}>
        Try again
      </button>
    </div>
  );
}
