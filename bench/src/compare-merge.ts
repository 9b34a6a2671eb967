import type { PublishedResult } from './results.js';

/** Where and when one scale point of the comparison was measured. */
interface PointRow {
  readonly orders: number;
  readonly parallelism: number;
  readonly startedAt?: string;
  readonly gitCommit?: string | null;
  readonly command?: string;
  /** The virtual machine's CPU can change between runs: a kept point keeps its own. */
  readonly cpuModel?: string;
  readonly [key: string]: unknown;
}

type WithRows = PublishedResult & { verification?: PointRow[] };

const key = (orders: unknown, parallelism: unknown) => `${String(orders)}@${String(parallelism)}`;

/** The verification rows of a result, each stamped with the run that measured it. */
function stamped(result: WithRows): PointRow[] {
  return (result.verification ?? []).map((row) => ({
    ...row,
    startedAt: row.startedAt ?? result.startedAt,
    gitCommit: row.gitCommit ?? result.machine.gitCommit,
    command: row.command ?? result.command,
    cpuModel: row.cpuModel ?? result.machine.cpuModel,
  }));
}

/**
 * The comparison `current` plus the scale points (orders × parallelism) of
 * `previous` that `current` did not measure, so that a 10M point measured in
 * its own run and the smaller ones measured later are published together.
 * Each point keeps, in its verification row, the date, commit and command of
 * the run that measured it.
 *
 * Example: `writeResult(dir, keepOtherPoints(readPrevious(), result))`.
 */
export function keepOtherPoints(
  previous: PublishedResult | undefined,
  current: PublishedResult,
): PublishedResult {
  const now = stamped(current);
  if (previous === undefined) return { ...current, verification: now } as PublishedResult;
  const measured = new Set(now.map((r) => key(r.orders, r.parallelism)));
  const keptRows = stamped(previous).filter((r) => !measured.has(key(r.orders, r.parallelism)));
  const keptMetrics = previous.metrics.filter(
    (m) => !measured.has(key(m.params?.orders, m.params?.parallelism)),
  );
  return {
    ...current,
    metrics: [...keptMetrics, ...current.metrics],
    verification: [...keptRows, ...now].sort(
      (a, b) => a.orders - b.orders || a.parallelism - b.parallelism,
    ),
  } as PublishedResult;
}
