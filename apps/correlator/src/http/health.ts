import { CorrelatorError, messageOf } from '../errors.js';

/** The result of one readiness check. */
export interface CheckResult {
  ok: boolean;
  /** What an operator needs to know, e.g. "store unreachable: ECONNREFUSED". */
  detail?: string;
}

export type HealthCheck = () => CheckResult | Promise<CheckResult>;

export interface HealthReport {
  ok: boolean;
  checks: Record<string, CheckResult>;
}

/**
 * Named readiness checks: the process is ready when every registered check
 * passes. A check that throws or takes longer than `timeoutMs` counts as failed.
 *
 * @example
 * const health = createHealthChecks();
 * health.register('store', async () => ({ ok: await store.ping() }));
 * const report = await health.run(); // { ok: true, checks: { store: { ok: true } } }
 */
export function createHealthChecks(timeoutMs = 2_000): HealthChecks {
  const checks = new Map<string, HealthCheck>();
  const run = async (): Promise<HealthReport> => {
    const entries = await Promise.all(
      [...checks].map(async ([name, check]) => [name, await runOne(check, timeoutMs)] as const),
    );
    return { ok: entries.every(([, result]) => result.ok), checks: Object.fromEntries(entries) };
  };
  const registry = (owned: Set<string> | null): HealthChecks => ({
    register(name, check) {
      if (checks.has(name))
        throw new CorrelatorError(
          `health check '${name}' is already registered: give each check its own name`,
        );
      checks.set(name, check);
      owned?.add(name);
    },
    run,
    scope() {
      const names = new Set<string>();
      return {
        ...registry(names),
        close() {
          for (const name of names) checks.delete(name);
          names.clear();
        },
      };
    },
  });
  return registry(null);
}

/** The process's readiness checks (`createHealthChecks`). */
export interface HealthChecks {
  /** Adds a named check; a name registered twice throws. */
  register(name: string, check: HealthCheck): void;
  run(): Promise<HealthReport>;
  /**
   * Checks registered through the scope leave with its `close` (one
   * pipeline's checks, when a rebuild replaces the pipeline in the process).
   */
  scope(): HealthChecks & { close(): void };
}

async function runOne(check: HealthCheck, timeoutMs: number): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<CheckResult>((resolve) => {
    timer = setTimeout(
      () => resolve({ ok: false, detail: `no answer within ${timeoutMs} ms` }),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([Promise.resolve().then(check), timeout]);
  } catch (error) {
    return { ok: false, detail: messageOf(error) };
  } finally {
    clearTimeout(timer);
  }
}
