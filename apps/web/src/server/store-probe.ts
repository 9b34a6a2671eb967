import { createPool } from 'mysql2/promise';
import type { Pool } from 'mysql2/promise';
import { unavailableCode } from './unavailable';

export type StoreReachability = { reachable: true } | { reachable: false; code: string };

export interface StoreProbe {
  check(): Promise<StoreReachability>;
  close(): Promise<void>;
}

/**
 * A question the proxy asks before every page render: does the store's
 * database answer right now? A streamed page's status is fixed when its
 * first bytes leave, so an outage must be known before rendering starts to
 * answer 503 (Next.js: "use Proxy before the page renders").
 *
 * MySQL-family stores: `SELECT 1` on a one-connection pool of the probe's
 * own, bounded by `timeoutMs` for the connect and the query; concurrent
 * requests share the probe in flight. Failures that are not an outage (bad
 * credentials, say) count as reachable: the page then fails with its own
 * message. An embedded SQLite store is a local file and is always reachable
 * here (its lock waits are the render's business).
 *
 * @example await createStoreProbe('mysql://weft:weft@127.0.0.1:3306/weft').check() // { reachable: true }
 */
export function createStoreProbe(dbUrl: string, timeoutMs = 2_000): StoreProbe {
  if (!dbUrl.startsWith('mysql://')) {
    return { check: async () => ({ reachable: true }), close: async () => {} };
  }
  let pool: Pool | null = null;
  let inFlight: Promise<StoreReachability> | null = null;
  const ask = async (): Promise<StoreReachability> => {
    pool ??= createPool({
      uri: dbUrl,
      connectionLimit: 1,
      connectTimeout: timeoutMs,
      maxIdle: 1,
      enableKeepAlive: true,
    });
    try {
      await pool.query({ sql: 'SELECT 1', timeout: timeoutMs });
      return { reachable: true };
    } catch (error) {
      const code = unavailableCode(error);
      return code ? { reachable: false, code } : { reachable: true };
    }
  };
  return {
    check: () => {
      inFlight ??= ask().finally(() => {
        inFlight = null;
      });
      return inFlight;
    },
    close: async () => {
      await pool?.end();
      pool = null;
    },
  };
}
