import { connect, createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';

/**
 * A TCP proxy that delays every chunk the server sends back by `delayMs`
 * (order kept), to make a real database slow without touching it: each
 * query round trip gets at least that much latency. The delay can be changed
 * while connections are open (0 = pass-through).
 */
export interface LatencyProxy {
  /** 127.0.0.1 port to connect to instead of the server's. */
  port: number;
  delayMs: number;
  /** Chunks currently held back (a sign the proxy, not the server, is the bottleneck). */
  readonly held: number;
  close(): Promise<void>;
}

/**
 * Starts a proxy to `127.0.0.1:upstreamPort`.
 *
 * @example
 * const proxy = await startLatencyProxy(3306, 50);
 * // mysql://weft:weft@127.0.0.1:${proxy.port}/db is now 50 ms slower per round trip
 * proxy.delayMs = 0;
 */
export async function startLatencyProxy(
  upstreamPort: number,
  delayMs: number,
): Promise<LatencyProxy> {
  const sockets = new Set<Socket>();
  let held = 0;
  const state = { delayMs };
  const server: Server = createServer((client) => {
    const upstream = connect(upstreamPort, '127.0.0.1');
    sockets.add(client);
    sockets.add(upstream);
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    client.on('data', (chunk) => upstream.write(chunk));
    // Replies leave no earlier than `delayMs` after they arrived, and in order.
    let lastDue = 0;
    upstream.on('data', (chunk) => {
      const due = Math.max(Date.now() + state.delayMs, lastDue);
      lastDue = due;
      held += 1;
      setTimeout(() => {
        held -= 1;
        if (!client.destroyed) client.write(chunk);
      }, due - Date.now());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    get delayMs() {
      return state.delayMs;
    },
    set delayMs(value: number) {
      state.delayMs = value;
    },
    get held() {
      return held;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
