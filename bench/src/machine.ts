import { spawnSync } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';

/** Facts about the machine and the code a result was measured on. */
export interface MachineFacts {
  readonly cpuModel: string;
  readonly cores: number;
  readonly memoryBytes: number;
  readonly node: string;
  readonly java: string | null;
  readonly mariadb: string | null;
  readonly kafka: string | null;
  readonly gitCommit: string | null;
  /** True when the working tree had uncommitted changes (other folders count too). */
  readonly gitDirty: boolean | null;
  readonly loadAverage1m: number;
}

/** stdout and stderr of a command together (java and the services script print to stderr), or null. */
function run(command: string, args: readonly string[]): string | null {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 30_000 });
  return result.status === 0 ? `${result.stdout}${result.stderr}` : null;
}

function javaVersion(): string | null {
  const out = run('java', ['-XshowSettings:properties', '-version']) ?? '';
  return /java\.version = (\S+)/.exec(out)?.[1] ?? null;
}

/** MariaDB and Kafka versions as the shared services script reports them. */
export function servicesVersions(statusText: string): {
  mariadb: string | null;
  kafka: string | null;
} {
  return {
    mariadb: /\(MariaDB ([^,)]+)/.exec(statusText)?.[1] ?? null,
    kafka: /Kafka ([0-9][^ )]*)/.exec(statusText)?.[1] ?? null,
  };
}

/** Collects the facts once per harness run (a few subprocesses, well under a second). */
export function machineFacts(root: string): MachineFacts {
  const status = run('bash', [`${root}/scripts/services/all.sh`, 'status']) ?? '';
  const commit = run('git', ['-C', root, 'rev-parse', 'HEAD'])?.trim() ?? null;
  const dirty = run('git', ['-C', root, 'status', '--porcelain']);
  return {
    cpuModel: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryBytes: totalmem(),
    node: process.version,
    java: javaVersion(),
    ...servicesVersions(status),
    gitCommit: commit,
    gitDirty: dirty === null ? null : dirty.trim() !== '',
    loadAverage1m: Number(loadavg()[0]!.toFixed(2)),
  };
}
