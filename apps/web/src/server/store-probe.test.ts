import { afterEach, describe, expect, it } from 'vitest';
import { createStoreProbe } from './store-probe';
import type { StoreProbe } from './store-probe';

const mysqlUrl = process.env.WEFT_TEST_MYSQL_URL;

describe('createStoreProbe', () => {
  const opened: StoreProbe[] = [];
  const probe = (url: string) => {
    const created = createStoreProbe(url, 1_000);
    opened.push(created);
    return created;
  };
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((p) => p.close()));
  });

  it('reports a MariaDB that refuses connections as unreachable, with the code', async () => {
    // Nothing listens on the discard port: the driver's own refusal.
    const result = await probe('mysql://weft:weft@127.0.0.1:9/weft').check();
    expect(result.reachable).toBe(false);
    expect(!result.reachable && result.code).toMatch(/ECONNREFUSED|ETIMEDOUT/);
  });

  it('shares one probe between concurrent requests', async () => {
    const refused = probe('mysql://weft:weft@127.0.0.1:9/weft');
    const [a, b] = [refused.check(), refused.check()];
    expect(a).toBe(b);
    await a;
    const c = refused.check();
    expect(c).not.toBe(a);
    await c;
  });

  it('treats an embedded SQLite store as reachable', async () => {
    expect(await probe('sqlite:/nonexistent/weft.db').check()).toEqual({ reachable: true });
  });

  describe.skipIf(mysqlUrl === undefined)('against the test MariaDB', () => {
    it('reports it reachable', async () => {
      expect(await probe(mysqlUrl as string).check()).toEqual({ reachable: true });
    });

    it('counts a failure that is not an outage (bad credentials) as reachable', async () => {
      const wrong = new URL(mysqlUrl as string);
      wrong.password = 'not-the-password';
      expect(await probe(wrong.toString()).check()).toEqual({ reachable: true });
    });
  });
});
