import { join } from 'node:path';
import { serviceEnv } from '../integration/env.js';
import { createDatabase, scratchDir } from '../integration/live-harness.js';

const mysql = serviceEnv('WEFT_TEST_MYSQL_URL', 'bash scripts/services/mariadb.sh start');

/** A store backend the CLI tests run against. */
export interface StoreBackend {
  name: string;
  /** A fresh, empty store and how to remove it. */
  fresh(): Promise<{ url: string; drop(): Promise<void> }>;
}

/** SQLite always; MariaDB too when `WEFT_TEST_MYSQL_URL` is set (required in CI). */
export const storeBackends: StoreBackend[] = [
  {
    name: 'SQLite',
    fresh: async () => {
      const dir = await scratchDir();
      return { url: `sqlite:${join(dir.path, 'weft.db')}`, drop: () => dir.dispose() };
    },
  },
  ...(mysql.value === undefined
    ? []
    : [{ name: 'MariaDB', fresh: () => createDatabase(mysql.value as string) }]),
];
