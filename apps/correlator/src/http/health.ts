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
export function createHealthChecks(timeoutMs = 2_000) {
  const checks = new Map<string, HealthCheck>();
  return {
    register(name: string, check: HealthCheck): void {
      if (checks.has(name))
        throw new CorrelatorError(
          `health check '${name}' is already registered: give each check its own name`,
        );
      checks.set(name, check);
    },
    async run(): Promise<HealthReport> {
      const entries = await Promise.all(
        [...checks].map(async ([name, check]) => [name, await runOne(check, timeoutMs)] as const),
      );
      return { ok: entries.every(([, result]) => result.ok), checks: Object.fromEntries(entries) };
    },
  };
}

export type HealthChecks = ReturnType<typeof createHealthChecks>;

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
