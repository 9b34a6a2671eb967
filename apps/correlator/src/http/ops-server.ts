import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { CorrelatorError } from '../errors.js';
import type { HealthChecks } from './health.js';

export interface OpsServerOptions {
  host: string;
  /** 0 picks a free port (tests). */
  port: number;
  registry: Registry;
  health: HealthChecks;
}

export interface OpsServer {
  /** e.g. http://127.0.0.1:9464 */
  url: string;
  close(): Promise<void>;
}

/**
 * The operations endpoint: `GET /healthz` (200 when every readiness check
 * passes, 503 otherwise, JSON body with each check) and `GET /metrics`
 * (Prometheus text). Nothing else; it never touches sessions.
 *
 * @example
 * const server = await startOpsServer({ host: '127.0.0.1', port: 9464, registry, health });
 */
export async function startOpsServer(options: OpsServerOptions): Promise<OpsServer> {
  const server = createServer((request, response) => {
    handle(options, request, response).catch((error: unknown) => {
      reply(response, 500, 'text/plain; charset=utf-8', `internal error: ${String(error)}\n`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new CorrelatorError(
          `Cannot serve /healthz and /metrics on ${options.host}:${options.port}: ${error.code ?? error.message}. ` +
            'Choose another --http-port (WEFT_HTTP_PORT).',
          { cause: error },
        ),
      ),
    );
    server.listen(options.port, options.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

async function handle(
  options: OpsServerOptions,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const path = new URL(request.url ?? '/', 'http://localhost').pathname;
  if (path !== '/healthz' && path !== '/metrics') {
    reply(response, 404, 'text/plain; charset=utf-8', 'not found: try /healthz or /metrics\n');
    return;
  }
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.setHeader('allow', 'GET, HEAD');
    reply(response, 405, 'text/plain; charset=utf-8', 'method not allowed\n');
    return;
  }
  if (path === '/healthz') {
    const report = await options.health.run();
    reply(response, report.ok ? 200 : 503, 'application/json', `${JSON.stringify(report)}\n`);
    return;
  }
  reply(response, 200, options.registry.contentType, await options.registry.metrics());
}

function reply(response: ServerResponse, status: number, contentType: string, body: string): void {
  response.writeHead(status, {
    'content-type': contentType,
    'cache-control': 'no-store',
  });
  response.end(body);
}
