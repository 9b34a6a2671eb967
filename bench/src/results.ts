import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { MachineFacts } from './machine.js';

const ParamValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const Params = z.record(z.string(), ParamValue);

/** One measured quantity: the median of several runs, with min and max. */
export const MetricSchema = z.object({
  name: z.string().min(1),
  unit: z.string().min(1),
  median: z.number(),
  min: z.number(),
  max: z.number(),
  runs: z.array(z.number()).min(1),
  params: Params.optional(),
});
export type Metric = z.infer<typeof MetricSchema>;

/** The bench result contract every package benchmark writes with `--json FILE`. */
export const BenchResultSchema = z.looseObject({
  schema: z.literal('weft.bench/1'),
  benchmark: z.string().regex(/^[a-z0-9-]+\.[a-z0-9._-]+$/, 'benchmark must be "<pkg>.<name>"'),
  command: z.string().min(1),
  startedAt: z.iso.datetime({ offset: true }),
  params: Params,
  metrics: z.array(MetricSchema).min(1),
});
export type BenchResult = z.infer<typeof BenchResultSchema>;

/** A published result: the contract plus what the harness adds. */
export type PublishedResult = BenchResult & { machine: MachineFacts };

/** A benchmark the last harness run could not measure, and why. */
export interface NotMeasured {
  readonly name: string;
  readonly reason: string;
}

/** What the last harness run did: which results it wrote and which it could not measure. */
export interface RunIndex {
  readonly schema: 'weft.bench-index/1';
  readonly mode: 'quick' | 'full';
  readonly command: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly written: readonly string[];
  readonly notMeasured: readonly NotMeasured[];
}

/** Parses a contract document; the error lists every problem with its path. */
export function parseBenchResult(json: unknown, what: string): BenchResult {
  const parsed = BenchResultSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
  throw new Error(`${what} does not follow weft.bench/1: ${problems.join('; ')}`);
}

/** Writes `<dir>/<benchmark>.json` and returns the file name. */
export function writeResult(dir: string, result: PublishedResult): string {
  mkdirSync(dir, { recursive: true });
  const file = `${result.benchmark}.json`;
  writeFileSync(join(dir, file), `${JSON.stringify(result, null, 2)}\n`);
  return file;
}

export function writeIndex(dir: string, index: RunIndex): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'index.json'), `${JSON.stringify(index, null, 2)}\n`);
}

/** Every published result in the folder (not the index), sorted by benchmark name. */
export function readResults(dir: string): PublishedResult[] {
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'index.json');
  } catch {
    return [];
  }
  return files
    .map((f) => {
      const json = JSON.parse(readFileSync(join(dir, f), 'utf8')) as { machine?: MachineFacts };
      return { ...parseBenchResult(json, join(dir, f)), machine: json.machine! };
    })
    .sort((a, b) => a.benchmark.localeCompare(b.benchmark));
}

export function readIndex(dir: string): RunIndex | null {
  try {
    return JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as RunIndex;
  } catch {
    return null;
  }
}
