import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { z } from 'zod';

/** The summary fields both runners print (bench/peers/flink/README.md "Summary JSON"). */
const SummarySchema = z.looseObject({
  records_in: z.number(),
  sessions: z.number(),
  dropped: z.number(),
  checksum: z.string().regex(/^[0-9a-f]{64}$/),
  elapsed_ms: z.number(),
  cpu_ms: z.number(),
  parallelism: z.number(),
});
export type RunSummary = z.infer<typeof SummarySchema> & {
  late?: number | Record<string, number>;
  max_rss_bytes?: number;
  max_heap_used_bytes?: number;
  records_per_s_net?: number;
  /** Weft's runner: `stream` (bounded memory) or `batch` (runBatch); absent before the streaming runner. */
  mode?: string;
};

/**
 * The Flink peer's JVM options at scale points above LARGE_ORDERS (run.sh's
 * default, 4 GiB, below): with its file sources watermark-aligned to one hour
 * of event time its state is bounded, but a 10M-record input still keeps
 * about 1/24 of its records ahead of the slowest file; the larger ceiling
 * keeps the collector from thrashing there.
 */
export const FLINK_LARGE_JAVA_OPTS = '-XX:+UseParallelGC -Xms4g -Xmx8g';

export type EngineName = 'weft' | 'flink';

/** How to start one run of an engine, as a command line a reader can paste. */
export function engineCommand(
  engine: EngineName,
  dir: string,
  parallelism: number,
  out: string,
  heapMb: number,
) {
  if (engine === 'flink') {
    return {
      file: 'bench/peers/flink/run.sh',
      args: [
        dir,
        '--parallelism',
        String(parallelism),
        '--out',
        out,
        '--out-of-orderness-ms',
        '60000',
      ],
    };
  }
  return {
    file: process.execPath,
    args: [
      `--max-old-space-size=${String(heapMb)}`,
      '--import',
      'tsx',
      'bench/src/weft-run.ts',
      dir,
      '--parallelism',
      String(parallelism),
      '--out',
      out,
    ],
  };
}

/** Total late records of a summary (Flink reports them per operator side). */
export function lateCount(summary: RunSummary): number {
  const late = summary.late ?? 0;
  return typeof late === 'number' ? late : Object.values(late).reduce((a, b) => a + b, 0);
}

/** Runs one engine once in a fresh process; resolves with its summary line, rejects with its stderr tail. */
export function runEngine(
  root: string,
  engine: EngineName,
  dir: string,
  parallelism: number,
  heapMb: number,
  timeoutMs: number,
  flinkJavaOpts?: string,
): Promise<RunSummary> {
  const out = join(root, 'bench', 'data', 'out', `${engine}-p${String(parallelism)}.ndjson`);
  const { file, args } = engineCommand(engine, dir, parallelism, out, heapMb);
  return new Promise((resolve, reject) => {
    const env =
      engine === 'flink' && flinkJavaOpts !== undefined
        ? { ...process.env, WEFT_FLINK_JAVA_OPTS: flinkJavaOpts }
        : process.env;
    const child = spawn(file, args, {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: timeoutMs,
      killSignal: 'SIGKILL',
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (signal !== null) {
        reject(
          new Error(
            `${engine} at parallelism ${String(parallelism)} was killed (${signal}) after ${String(timeoutMs)} ms or by the system (out of memory?)`,
          ),
        );
        return;
      }
      const last = stdout.trim().split('\n').pop() ?? '';
      if (code !== 0) {
        reject(
          new Error(
            `${engine} at parallelism ${String(parallelism)} exited ${String(code)}: ${stderr.trim().split('\n').slice(-5).join(' | ')}`,
          ),
        );
        return;
      }
      try {
        resolve(SummarySchema.parse(JSON.parse(last)) as RunSummary);
      } catch (error) {
        reject(
          new Error(
            `${engine} printed no summary JSON line (${(error as Error).message}): ${last.slice(0, 200)}`,
          ),
        );
      }
    });
  });
}
