import { parseArgs } from 'node:util';

/** The harness's options, validated once at the edge. */
export interface HarnessOptions {
  readonly mode: 'quick' | 'full';
  readonly orders: readonly number[];
  readonly runs: number;
  readonly seed: number;
  readonly parallelisms: readonly number[];
  readonly weftHeapMb: number;
  readonly compare: boolean;
  readonly packages: boolean;
  readonly reportOnly: boolean;
  readonly help: boolean;
}

export class UsageError extends Error {
  override name = 'UsageError' as const;
}

export const USAGE = `usage: npm run bench -- [options]

  --full               the scale runs: --orders 17000,170000 (≈100k and 1M records; see
                       docs/benchmarks.md "Limits" for 10M)
  --orders N[,N...]    simulated orders per scale point (6 records each; default 50000)
  --runs N             runs per figure; each figure is their median with min and max (default 3)
  --seed N             simulator seed (default 42)
  --parallelism P[,P]  parallelisms of the Weft/Flink comparison (default 1,2)
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
  const parallelisms = positiveList('parallelism', v.parallelism);
  if (parallelisms.some((p) => p > 2))
    throw new UsageError(
      `--parallelism accepts 1 and 2 (the Flink peer's README covers those), got "${v.parallelism}"`,
    );
  return {
    mode,
    orders:
      v.orders !== undefined
        ? positiveList('orders', v.orders)
        : mode === 'full'
          ? [17_000, 170_000]
          : [50_000],
    runs,
    seed,
    parallelisms,
    weftHeapMb: mode === 'full' ? 8_192 : 4_096,
    compare: !v['skip-compare'],
    packages: !v['skip-packages'],
    reportOnly: v['report-only'],
    help: v.help,
  };
}
