import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { EngineName, RunSummary } from './engine-runs.js';
import { FLINK_LARGE_JAVA_OPTS, lateCount, runEngine } from './engine-runs.js';
import { LARGE_ORDERS } from './options.js';
import type { NotMeasured } from './results.js';
import type { Dataset } from './simulate.js';

/** Thrown when Weft and Flink disagree on the sessions: the figures would compare different work. */
export class VerificationError extends Error {
  override name = 'VerificationError' as const;
}

/** Every run of both engines on one dataset at one parallelism. */
export interface ComparePoint {
  readonly dataset: Dataset;
  readonly parallelism: number;
  readonly weft: RunSummary[];
  readonly flink: RunSummary[];
}

export interface CompareOptions {
  readonly root: string;
  readonly datasets: readonly Dataset[];
  readonly parallelisms: readonly number[];
  readonly runs: number;
  /** Runs and parallelisms of the datasets above LARGE_ORDERS orders. */
  readonly largeRuns: number;
  readonly largeParallelisms: readonly number[];
  readonly engines: readonly EngineName[];
  readonly weftHeapMb: number;
}

/** Fails loudly unless both engines read the same records and produced the same sessions, with nothing late. */
export function verifyPair(
  [a, b]: readonly [RunSummary, RunSummary],
  [nameA, nameB]: readonly [string, string],
  where: string,
  outDir: string,
): void {
  const problems: string[] = [];
  for (const field of ['records_in', 'sessions', 'dropped', 'checksum'] as const) {
    if (a[field] !== b[field])
      problems.push(`${field}: ${nameA} ${String(a[field])}, ${nameB} ${String(b[field])}`);
  }
  if (lateCount(a) !== 0) problems.push(`${nameA} dropped late records: ${JSON.stringify(a.late)}`);
  if (lateCount(b) !== 0) problems.push(`${nameB} dropped late records: ${JSON.stringify(b.late)}`);
  if (problems.length > 0) {
    const p = a.parallelism;
    throw new VerificationError(
      `${nameA} and ${nameB} disagree on ${where}: ${problems.join('; ')}.\n` +
        `Compare the sessions: diff ${join(outDir, `weft-p${String(p)}.ndjson`)} ${join(outDir, `flink-p${String(p)}.ndjson`)}`,
    );
  }
}

function timeoutFor(dataset: Dataset): number {
  return 180_000 + dataset.orders * 3; // a floor of ~2,000 records/s (six records per order)
}

async function comparePoint(
  o: CompareOptions,
  dataset: Dataset,
  parallelism: number,
  failed: NotMeasured[],
): Promise<ComparePoint> {
  const point: ComparePoint = { dataset, parallelism, weft: [], flink: [] };
  const where = `${String(dataset.orders)} orders at parallelism ${String(parallelism)}`;
  const outDir = join(o.root, 'bench', 'data', 'out');
  const runs = dataset.orders > LARGE_ORDERS ? o.largeRuns : o.runs;
  let engines = [...o.engines];
  for (let i = 0; i < runs && engines.length > 0; i++) {
    // Alternate which engine goes first so that a change of machine load hits both alike.
    for (const engine of i % 2 === 0 ? engines : [...engines].reverse()) {
      console.error(`bench: ${engine} on ${where}, run ${String(i + 1)} of ${String(runs)}`);
      try {
        const summary = await runEngine(
          o.root,
          engine,
          dataset.dir,
          parallelism,
          o.weftHeapMb,
          timeoutFor(dataset),
          dataset.orders > LARGE_ORDERS ? FLINK_LARGE_JAVA_OPTS : undefined,
        );
        point[engine].push(summary);
      } catch (error) {
        // The other engine's figures at this point still stand; this one's are dropped whole.
        failed.push({ name: `${engine} at ${where}`, reason: (error as Error).message });
        point[engine].length = 0;
        engines = engines.filter((e) => e !== engine);
      }
    }
    if (point.weft.length > 0 && point.flink.length > 0)
      verifyPair([point.weft[i]!, point.flink[i]!], ['Weft', 'Flink'], where, outDir);
    for (const engine of engines) {
      const name = engine === 'weft' ? 'Weft' : 'Flink';
      verifyPair(
        [point[engine][i]!, point[engine][0]!],
        [`${name} run ${String(i + 1)}`, `${name} run 1`],
        where,
        outDir,
      );
    }
  }
  return point;
}

/**
 * Runs Weft and the Flink peer back to back on every dataset and parallelism,
 * `runs` times each. An engine whose run crashes or times out is "not
 * measured" at that point (the other engine's figures stand); sessions that
 * differ throw a VerificationError.
 */
export async function compareEngines(
  o: CompareOptions,
): Promise<{ points: ComparePoint[]; notMeasured: NotMeasured[] }> {
  mkdirSync(join(o.root, 'bench', 'data', 'out'), { recursive: true });
  const points: ComparePoint[] = [];
  const notMeasured: NotMeasured[] = [];
  for (const dataset of o.datasets) {
    const parallelisms = dataset.orders > LARGE_ORDERS ? o.largeParallelisms : o.parallelisms;
    for (const parallelism of parallelisms) {
      const point = await comparePoint(o, dataset, parallelism, notMeasured);
      if (point.weft.length > 0 || point.flink.length > 0) points.push(point);
    }
  }
  return { points, notMeasured };
}
