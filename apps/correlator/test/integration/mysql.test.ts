import { createConnection } from 'mysql2/promise';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceEnv } from './env.js';

const mysqlEnv = serviceEnv('WEFT_TEST_MYSQL_URL', 'bash scripts/services/mariadb.sh start');

describe.skipIf(mysqlEnv.skip)('MySQL-compatible database smoke test', () => {
  let connection: Connection;

  beforeAll(async () => {
    connection = await createConnection(mysqlEnv.value ?? '');
  });

  afterAll(async () => {
    await connection?.end();
  });

  it('runs a parameterized query and reads the result back', async () => {
    const [rows] = await connection.query<RowDataPacket[]>(
      'SELECT ? + 1 AS answer, DATABASE() AS db',
      [41],
    );
    expect(Number(rows[0]?.answer)).toBe(42);
    expect(rows[0]?.db).toBe(new URL(mysqlEnv.value ?? '').pathname.slice(1));
  });
});
