import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';
import { VerificationError, compareEngines } from './compare.js';
import { keepOtherPoints } from './compare-merge.js';
import { compareMetrics, verification } from './compare-result.js';
import { machineFacts } from './machine.js';
import type { HarnessOptions } from './options.js';
import { USAGE, UsageError, parseOptions } from './options.js';
import { runPackageBenches } from './package-benches.js';
import { DOC_PATH, renderDoc } from './report/render-doc.js';
import { compareBenchmark } from './report/targets.js';
import type { NotMeasured } from './results.js';
import { parseBenchResult, readIndex, readResults, writeIndex, writeResult } from './results.js';
import { ensureDataset } from './simulate.js';

/**
 * `npm run bench`: package benchmarks, the Weft/Flink comparison, results
 * under bench/results/ and docs/benchmarks.md regenerated from them.
 * See docs/benchmarks.md "Reproduce" and bench/README.md.
 */

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const resultsDir = join(root, 'bench', 'results');

async function runCompare(
  o: HarnessOptions,
  command: string,
): Promise<{ written: string[]; notMeasured: NotMeasured[] }> {
  const startedAt = new Date().toISOString();
  const machine = machineFacts(root);
  const datasets = o.orders.map((orders) => ensureDataset(root, orders, o.seed));
  const { points, notMeasured } = await compareEngines({
    root,
    datasets,
    parallelisms: o.parallelisms,
    runs: o.runs,
    largeRuns: o.largeRuns,
    largeParallelisms: o.largeParallelisms,
    engines: o.engines,
    weftHeapMb: o.weftHeapMb,
  });
  if (points.length === 0) return { written: [], notMeasured };
  const benchmark = compareBenchmark(o.mode);
  const result = {
    schema: 'weft.bench/1' as const,
    benchmark,
    command,
    startedAt,
    params: {
      mode: o.mode,
      runs: o.runs,
      largeRuns: o.largeRuns,
      seed: o.seed,
      orders: o.orders.join(','),
      parallelism: o.parallelisms.join(','),
      largeParallelism: o.largeParallelisms.join(','),
      engines: o.engines.join(','),
    },
    metrics: compareMetrics(points),
    verification: verification(points),
    machine,
  };
  const previous = o.keepOtherPoints
    ? readResults(resultsDir).find((r) => r.benchmark === benchmark)
    : undefined;
  const file = writeResult(resultsDir, keepOtherPoints(previous, result));
  return { written: [file], notMeasured };
}

/** Publishes weft.bench/1 files written outside the harness, marked as imported. */
function runImports(o: HarnessOptions): { written: string[]; notMeasured: NotMeasured[] } {
  const machine = machineFacts(root);
  const written = o.imports.map((path) => {
    const result = parseBenchResult(JSON.parse(readFileSync(path, 'utf8')), path);
    const importedAt = new Date().toISOString();
    return writeResult(resultsDir, {
      ...result,
      imported: { from: path, at: importedAt },
      machine,
    });
  });
  return { written, notMeasured: [] };
}

async function runPackages(
  o: HarnessOptions,
): Promise<{ written: string[]; notMeasured: NotMeasured[] }> {
  const timeoutMs = (o.mode === 'full' ? 180 : 20) * 60_000;
  const { results, notMeasured } = await runPackageBenches({ root, mode: o.mode, timeoutMs });
  const machine = machineFacts(root);
  const written = results.map(({ result, loadAverage1m }) =>
    writeResult(resultsDir, { ...result, machine: { ...machine, loadAverage1m } }),
  );
  return { written, notMeasured };
}

/** Writes the page formatted by the repository's Prettier config, so that `npm run lint` stays clean. */
async function regenerateDoc(): Promise<void> {
  const path = join(root, DOC_PATH);
  const markdown = renderDoc(root, readResults(resultsDir), readIndex(resultsDir));
  const config = (await prettier.resolveConfig(path)) ?? {};
  writeFileSync(path, await prettier.format(markdown, { ...config, filepath: path }));
  console.error(`bench: wrote ${DOC_PATH}`);
}

async function main(argv: readonly string[]): Promise<number> {
  const o = parseOptions(argv);
  if (o.help) {
    console.log(USAGE);
    return 0;
  }
  if (o.reportOnly) {
    await regenerateDoc();
    return 0;
  }
  const command = ['npm run bench', ...(argv.length > 0 ? ['--', ...argv] : [])].join(' ');
  const startedAt = new Date().toISOString();
  const compare = o.compare ? await runCompare(o, command) : { written: [], notMeasured: [] };
  const packages = o.packages ? await runPackages(o) : { written: [], notMeasured: [] };
  const imported = runImports(o);
  const notMeasured = [...compare.notMeasured, ...packages.notMeasured];
  writeIndex(resultsDir, {
    schema: 'weft.bench-index/1',
    mode: o.mode,
    command,
    startedAt,
    finishedAt: new Date().toISOString(),
    written: [...compare.written, ...packages.written, ...imported.written],
    notMeasured,
  });
  await regenerateDoc();
  for (const n of notMeasured) console.error(`bench: not measured: ${n.name}: ${n.reason}`);
  return 0;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (error instanceof UsageError) {
    console.error(`bench: ${error.message}`);
    process.exitCode = 2;
  } else if (error instanceof VerificationError) {
    console.error(`bench: FAILED, nothing published: ${error.message}`);
    process.exitCode = 1;
  } else throw error;
}
