import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { EngineName, RunSummary } from './engine-runs.js';
import { lateCount, runEngine } from './engine-runs.js';
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
): Promise<ComparePoint> {
  const point: ComparePoint = { dataset, parallelism, weft: [], flink: [] };
  const where = `${String(dataset.orders)} orders at parallelism ${String(parallelism)}`;
  const outDir = join(o.root, 'bench', 'data', 'out');
  for (let i = 0; i < o.runs; i++) {
    // Alternate which engine goes first so that a change of machine load hits both alike.
    const order: EngineName[] = i % 2 === 0 ? ['weft', 'flink'] : ['flink', 'weft'];
    for (const engine of order) {
      console.error(`bench: ${engine} on ${where}, run ${String(i + 1)} of ${String(o.runs)}`);
      const summary = await runEngine(
        o.root,
        engine,
        dataset.dir,
        parallelism,
        o.weftHeapMb,
        timeoutFor(dataset),
      );
      point[engine].push(summary);
    }
    verifyPair([point.weft[i]!, point.flink[i]!], ['Weft', 'Flink'], where, outDir);
    verifyPair(
      [point.weft[i]!, point.weft[0]!],
      [`Weft run ${String(i + 1)}`, 'Weft run 1'],
      where,
      outDir,
    );
  }
  return point;
}

/**
 * Runs Weft and the Flink peer back to back on every dataset and parallelism,
 * `runs` times each. A run that crashes or times out makes its point "not
 * measured"; sessions that differ throw a VerificationError.
 */
export async function compareEngines(
  o: CompareOptions,
): Promise<{ points: ComparePoint[]; notMeasured: NotMeasured[] }> {
  mkdirSync(join(o.root, 'bench', 'data', 'out'), { recursive: true });
  const points: ComparePoint[] = [];
  const notMeasured: NotMeasured[] = [];
  for (const dataset of o.datasets) {
    for (const parallelism of o.parallelisms) {
      try {
        points.push(await comparePoint(o, dataset, parallelism));
      } catch (error) {
        if (error instanceof VerificationError) throw error;
        notMeasured.push({
          name: `weft-vs-flink at ${String(dataset.orders)} orders, parallelism ${String(parallelism)}`,
          reason: (error as Error).message,
        });
      }
    }
  }
  return { points, notMeasured };
}
