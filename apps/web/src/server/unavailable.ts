import { STORE_UNREACHABLE_DIGEST } from '@/lib/store-outage';

/**
 * Whether a failure means the database cannot be reached right now (down,
 * restarting, refusing connections, locked) rather than a bug: those answer
 * 503 and the next request tries again (mysql2's pool and `getStore` both
 * reconnect by themselves). Looks through `cause` chains and aggregate errors.
 */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
  'SQLITE_BUSY',
  'SQLITE_CANTOPEN',
]);

/** The first code that marks `error` as the database being unreachable, or null. */
export function unavailableCode(error: unknown, depth = 0): string | null {
  if (depth > 5 || error === null || typeof error !== 'object') return null;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) return code;
  const nested = [
    (error as { cause?: unknown }).cause,
    ...(error instanceof AggregateError ? error.errors : []),
  ];
  for (const inner of nested) {
    const found = unavailableCode(inner, depth + 1);
    if (found) return found;
  }
  return null;
}

/**
 * A page render's failure that means the store is unreachable, marked with
 * the digest the error boundary recognizes (Next.js keeps a thrown error's
 * own `digest` and hides everything else in production). The original
 * failure stays its `cause`, so `unavailableCode` still finds the code.
 */
export class StoreUnreachableError extends Error {
  override name = 'StoreUnreachableError' as const;
  readonly digest = STORE_UNREACHABLE_DIGEST;
  constructor(
    readonly code: string,
    cause: unknown,
  ) {
    super(`the session store is unreachable (${code}); retry in a moment`, { cause });
  }
}

/** `error` marked as a `StoreUnreachableError` when it means the store is unreachable, else `error` itself. */
export function markStoreUnreachable(error: unknown): unknown {
  const code = unavailableCode(error);
  return code && !(error instanceof StoreUnreachableError)
    ? new StoreUnreachableError(code, error)
    : error;
}
