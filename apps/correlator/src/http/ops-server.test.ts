import { afterEach, describe, expect, it } from 'vitest';
import { createMetrics } from '../metrics.js';
import { createHealthChecks } from './health.js';
import { startOpsServer } from './ops-server.js';
import type { OpsServer } from './ops-server.js';

describe('ops server', () => {
  let server: OpsServer | undefined;

  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function start(health = createHealthChecks(200)) {
    const metrics = createMetrics({ processMetrics: false });
    server = await startOpsServer({
      host: '127.0.0.1',
      port: 0,
      registry: metrics.registry,
      health,
    });
    return { metrics, health, url: server.url };
  }

  it('serves Prometheus metrics', async () => {
    const { metrics, url } = await start();
    metrics.deadLetters.inc({ source: 'receipt', reason: 'invalid_json' }, 2);
    const response = await fetch(`${url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    expect(await response.text()).toContain(
      'weft_dead_letters_total{source="receipt",reason="invalid_json"} 2',
    );
  });

  it('is ready only when every check passes, and says which failed', async () => {
    const health = createHealthChecks(200);
    let storeUp = true;
    health.register('kafka', () => ({ ok: true }));
    health.register('store', () =>
      storeUp ? { ok: true } : { ok: false, detail: 'ECONNREFUSED' },
    );
    const { url } = await start(health);

    const ready = await fetch(`${url}/healthz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({
      ok: true,
      checks: { kafka: { ok: true }, store: { ok: true } },
    });

    storeUp = false;
    const notReady = await fetch(`${url}/healthz`);
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toMatchObject({
      ok: false,
      checks: { store: { ok: false, detail: 'ECONNREFUSED' } },
    });
  });

  it('fails a check that throws or hangs instead of hanging the probe', async () => {
    const health = createHealthChecks(50);
    health.register('throws', () => {
      throw new Error('boom');
    });
    health.register('hangs', () => new Promise(() => undefined));
    const { url } = await start(health);
    const response = await fetch(`${url}/healthz`);
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({
      ok: false,
      checks: {
        throws: { ok: false, detail: 'boom' },
        hangs: { ok: false, detail: 'no answer within 50 ms' },
      },
    });
  });

  it('answers 404 for unknown paths and 405 for other methods', async () => {
    const { url } = await start();
    expect((await fetch(`${url}/sessions`)).status).toBe(404);
    const post = await fetch(`${url}/metrics`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });

  it('rejects a duplicate check name', () => {
    const health = createHealthChecks();
    health.register('store', () => ({ ok: true }));
    expect(() => health.register('store', () => ({ ok: true }))).toThrow(/already registered/);
  });

  it("drops a scope's checks when it closes, so the next pipeline can register its own", async () => {
    const health = createHealthChecks(200);
    health.register('store', () => ({ ok: true }));
    const first = health.scope();
    first.register('sink', () => ({ ok: false, detail: 'store down' }));
    expect((await health.run()).checks).toEqual({
      store: { ok: true },
      sink: { ok: false, detail: 'store down' },
    });
    expect(() => first.register('store', () => ({ ok: true }))).toThrow(/already registered/u);
    first.close();
    const second = health.scope();
    second.register('sink', () => ({ ok: true }));
    expect(await health.run()).toEqual({
      ok: true,
      checks: { store: { ok: true }, sink: { ok: true } },
    });
  });

  it('reports a port in use with the flag to change', async () => {
    const { url } = await start();
    const port = Number(new URL(url).port);
    const metrics = createMetrics({ processMetrics: false });
    await expect(
      startOpsServer({
        host: '127.0.0.1',
        port,
        registry: metrics.registry,
        health: createHealthChecks(),
      }),
    ).rejects.toThrow(/EADDRINUSE.*--http-port/);
  });
});
