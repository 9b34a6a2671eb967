import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createConnection } from 'mysql2/promise';

const servicesDir = fileURLToPath(new URL('../../../../scripts/services/', import.meta.url));

/**
 * A private MariaDB or Kafka instance for a fault test: its own port, data
 * directory and process, started and stopped through `scripts/services`, so a
 * test can take it down without touching the shared services other tests use.
 */
export interface PrivateService {
  /** `mysql://weft:weft@127.0.0.1:PORT/weft_test` or `127.0.0.1:PORT`. */
  address: string;
  port: number;
  start(): void;
  stop(): void;
}

/**
 * A private MariaDB on `port` (`WEFT_MYSQL_PORT=port scripts/services/mariadb.sh`):
 * datadir `/var/lib/weft-mariadb/<port>/`, provisioned with user weft and
 * database weft_test like the shared one. Needs root, as the script does.
 *
 * @example const db = privateMariadb(33171); db.start(); ... db.stop();
 */
export function privateMariadb(port: number): PrivateService {
  const env = { WEFT_MYSQL_PORT: String(port) };
  return {
    address: `mysql://weft:weft@127.0.0.1:${port}/weft_test`,
    port,
    start: () => service('mariadb.sh', 'start', env),
    stop: () => service('mariadb.sh', 'stop', env),
  };
}

/**
 * A private single-node KRaft broker on `port` (controller on port + 1),
 * data under `.services/kafka/data/<port>/` (`WEFT_KAFKA_PORT=port scripts/services/kafka.sh`).
 *
 * @example const kafka = privateKafka(29192); kafka.start(); ... kafka.stop();
 */
export function privateKafka(port: number): PrivateService {
  // A loaded machine can take minutes to start a JVM broker and answer its first metadata request.
  const env = { WEFT_KAFKA_PORT: String(port), WEFT_KAFKA_START_TIMEOUT: '300' };
  return {
    address: `127.0.0.1:${port}`,
    port,
    start: () => service('kafka.sh', 'start', env),
    stop: () => service('kafka.sh', 'stop', env),
  };
}

/** Runs a services script; a failure throws with the script's own explanation. */
function service(script: string, command: string, env: Record<string, string>): void {
  const result = spawnSync('bash', [`${servicesDir}${script}`, command], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 360_000,
  });
  if (result.status !== 0) {
    throw new Error(
      `${Object.entries(env)
        .map(([k, v]) => `${k}=${v}`)
        .join(
          ' ',
        )} scripts/services/${script} ${command} failed (${result.status ?? result.signal}):\n${result.stderr}`,
    );
  }
}

/** The `/healthz` and `/metrics` of a correlator started with `--http-port`. */
export function opsProbe(port: number) {
  const base = `http://127.0.0.1:${port}`;
  return {
    /** Status and body of `/healthz`, or status 0 while nothing answers yet. */
    async health(): Promise<{ status: number; body: string }> {
      try {
        const response = await fetch(`${base}/healthz`);
        return { status: response.status, body: await response.text() };
      } catch {
        return { status: 0, body: '' };
      }
    },
    /** Every sample of `/metrics` by name (labels summed), or an empty map while nothing answers. */
    async metrics(): Promise<Map<string, number>> {
      try {
        const response = await fetch(`${base}/metrics`);
        return sumSamples(await response.text());
      } catch {
        return new Map();
      }
    },
  };
}

/** Prometheus text → metric name → sum over its label sets. */
export function sumSamples(text: string): Map<string, number> {
  const sums = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{[^}]*\})?\s+(\S+)/u.exec(line);
    if (!match) continue;
    const value = Number(match[2]);
    if (Number.isFinite(value)) sums.set(match[1]!, (sums.get(match[1]!) ?? 0) + value);
  }
  return sums;
}

/**
 * Drops the database a `mysql://` URL names, over a new connection (the one
 * that created it may have died with a server the test restarted).
 */
export async function dropDatabase(url: string): Promise<void> {
  const parsed = new URL(url);
  const name = parsed.pathname.slice(1);
  if (!/^weft_[a-z0-9_]+$/u.test(name)) throw new Error(`refusing to drop database '${name}'`);
  const connection = await createConnection({
    host: parsed.hostname,
    port: Number(parsed.port),
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
  });
  try {
    await connection.query(`DROP DATABASE IF EXISTS \`${name}\``);
  } finally {
    await connection.end();
  }
}
