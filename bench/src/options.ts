import { parseArgs } from 'node:util';

/** The harness's options, validated once at the edge. */
export interface HarnessOptions {
  readonly mode: 'quick' | 'full';
  readonly orders: readonly number[];
  readonly runs: number;
  readonly seed: number;
  readonly parallelisms: readonly number[];
  /** Points above LARGE_ORDERS orders (≈1M records) take these runs and parallelisms instead. */
  readonly largeRuns: number;
  readonly largeParallelisms: readonly number[];
  readonly engines: readonly ('weft' | 'flink')[];
  readonly keepOtherPoints: boolean;
  readonly imports: readonly string[];
  readonly weftHeapMb: number;
  readonly compare: boolean;
  readonly packages: boolean;
  readonly reportOnly: boolean;
  readonly help: boolean;
}

export class UsageError extends Error {
  override name = 'UsageError' as const;
}

/** Scale points with more orders than this (≈1M records) are "large": fewer runs by default. */
export const LARGE_ORDERS = 170_000;
const FULL_ORDERS = [17_000, 50_000, 170_000, 500_000, 1_700_000];

export const USAGE = `usage: npm run bench -- [options]

  --full               the scale runs: --orders ${FULL_ORDERS.join(',')}
                       (≈100k, 300k, 1M, 3M and 10M records)
  --orders N[,N...]    simulated orders per scale point (6 records each; default 50000)
  --runs N             runs per figure; each figure is their median with min and max (default 3)
  --seed N             simulator seed (default 42)
  --parallelism P[,P]  parallelisms of the Weft/Flink comparison (default 1,2)
  --large-runs N       runs per figure above ${String(LARGE_ORDERS)} orders (default: --runs; 1 with --full)
  --large-parallelism P[,P]
                       parallelisms above ${String(LARGE_ORDERS)} orders (default: --parallelism; 1 with --full)
  --engines E[,E]      weft, flink or both (default weft,flink; one engine is measured but not
                       cross-checked against the other)
  --keep-other-points  keep the scale points of the published comparison this run does not
                       measure (each point keeps the date and commit it was measured at)
  --import FILE[,FILE] publish weft.bench/1 files a package benchmark wrote outside the harness
                       (e.g. a storage load that takes hours), labelled as imported
  --skip-compare       do not run the Weft/Flink comparison
  --skip-packages      do not run the package benchmarks
  --report-only        only regenerate docs/benchmarks.md from bench/results/*.json
  --help               this text`;

function positiveList(flag: string, text: string): number[] {
  const values = text.split(',').map((s) => Number(s.trim()));
  if (values.length === 0 || values.some((v) => !Number.isSafeInteger(v) || v < 1))
    throw new UsageError(`--${flag} takes positive integers separated by commas, got "${text}"`);
  return values;
}

/**
 * Parses the harness's command line.
 *
 * Example: `parseOptions(['--runs', '5'])` → quick mode, 5 runs per figure.
 */
export function parseOptions(argv: readonly string[]): HarnessOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: {
        full: { type: 'boolean', default: false },
        orders: { type: 'string' },
        runs: { type: 'string', default: '3' },
        seed: { type: 'string', default: '42' },
        parallelism: { type: 'string', default: '1,2' },
        'large-runs': { type: 'string' },
        'large-parallelism': { type: 'string' },
        engines: { type: 'string', default: 'weft,flink' },
        'keep-other-points': { type: 'boolean', default: false },
        import: { type: 'string' },
        'skip-compare': { type: 'boolean', default: false },
        'skip-packages': { type: 'boolean', default: false },
        'report-only': { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n${USAGE}`);
  }
  const v = parsed.values;
  const mode = v.full ? 'full' : 'quick';
  const runs = Number(v.runs);
  if (!Number.isSafeInteger(runs) || runs < 1)
    throw new UsageError(`--runs takes one positive integer, got "${v.runs}"`);
  if (runs > 50) throw new UsageError(`--runs must be at most 50, got ${String(runs)}`);
  const seed = Number(v.seed);
  if (!Number.isSafeInteger(seed) || seed < 0 || seed > 0xffffffff)
    throw new UsageError(`--seed must be an integer from 0 to 4294967295, got "${v.seed}"`);
  const parallelisms = parallelismList('parallelism', v.parallelism);
  const largeRuns = Number(v['large-runs'] ?? (mode === 'full' ? 1 : runs));
  if (!Number.isSafeInteger(largeRuns) || largeRuns < 1 || largeRuns > 50)
    throw new UsageError(
      `--large-runs takes an integer from 1 to 50, got "${String(v['large-runs'])}"`,
    );
  const engines = v.engines.split(',').map((e) => e.trim());
  if (engines.length === 0 || engines.some((e) => e !== 'weft' && e !== 'flink'))
    throw new UsageError(`--engines takes weft, flink or weft,flink, got "${v.engines}"`);
  return {
    mode,
    orders:
      v.orders !== undefined
        ? positiveList('orders', v.orders)
        : mode === 'full'
          ? FULL_ORDERS
          : [50_000],
    runs,
    seed,
    parallelisms,
    largeRuns,
    largeParallelisms:
      v['large-parallelism'] !== undefined
        ? parallelismList('large-parallelism', v['large-parallelism'])
        : mode === 'full'
          ? [1]
          : parallelisms,
    engines: [...new Set(engines as ('weft' | 'flink')[])],
    keepOtherPoints: v['keep-other-points'],
    imports: v.import === undefined ? [] : v.import.split(',').map((f) => f.trim()),
    weftHeapMb: mode === 'full' ? 8_192 : 4_096,
    compare: !v['skip-compare'],
    packages: !v['skip-packages'],
    reportOnly: v['report-only'],
    help: v.help,
  };
}

function parallelismList(flag: string, text: string): number[] {
  const values = positiveList(flag, text);
  if (values.some((p) => p > 2))
    throw new UsageError(
      `--${flag} accepts 1 and 2 (the Flink peer's README covers those), got "${text}"`,
    );
  return values;
}
