import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { RawInput } from '@weft/engine';
import { checksum } from './canonical.js';
import { feedInEventTimeOrder } from './event-time-feed.js';
import { readRawLines } from './lines.js';
import { LineFile, fileChecksum, sortLines } from './sorted-output.js';
import { StreamingCorrelation } from './stream-job.js';
import { runParallel } from './weft-parallel.js';
import { canonicalLines, inAppPurchaseTemplate, runWeftBatch, sourceOrder } from './weft-job.js';

/**
 * One timed run of Weft's engine over simulated NDJSON files, the counterpart
 * of bench/peers/flink/run.sh: prints one summary JSON line with the same
 * field names. Run it in a fresh process per measurement:
 *
 *   node --import tsx bench/src/weft-run.ts DIR [--parallelism P] [--out FILE]
 *        [--out-of-orderness-ms MS] [--mode stream|batch]
 *
 * `stream` (the default) reads the files as streams in event-time order and
 * keeps only the sessions that may still change (bounded memory); `batch`
 * (parallelism 1 only) holds every line and runs `runBatch`, the reference
 * the streaming runner is tested against. Timed: reading, (at P > 1)
 * partitioning, the job, and the canonical lines of the final sessions as
 * they become final; sorting them for the checksum is not timed.
 */

interface Counts {
  readonly recordsIn: number;
  readonly deadLetters: number;
  readonly late: number;
  readonly orphans: number;
  readonly partitionConflicts: number;
  readonly maxHeapUsed: number;
  readonly maxBuffered: number | null;
}

/** The canonical lines, still to be sorted and hashed (untimed). */
interface Finished {
  readonly counts: Counts;
  readonly output: () => { sessions: number; checksum: string };
}

function usage(message: string): never {
  console.error(
    `weft-run: ${message}\nusage: weft-run.ts DIR [--parallelism N] [--out FILE] [--out-of-orderness-ms MS] [--mode stream|batch]`,
  );
  process.exit(2);
}

function parseFlags() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      parallelism: { type: 'string', default: '1' },
      out: { type: 'string' },
      'out-of-orderness-ms': { type: 'string', default: '60000' },
      mode: { type: 'string', default: 'stream' },
    },
  });
  const dir = positionals[0];
  if (dir === undefined || positionals.length > 1) usage('give exactly one input directory');
  const parallelism = Number(values.parallelism);
  if (!Number.isInteger(parallelism) || parallelism < 1 || parallelism > 64)
    usage(`--parallelism must be an integer from 1 to 64, got "${values.parallelism}"`);
  const bound = Number(values['out-of-orderness-ms']);
  if (!Number.isSafeInteger(bound) || bound < 0)
    usage(
      `--out-of-orderness-ms must be a non-negative integer, got "${values['out-of-orderness-ms']}"`,
    );
  const mode = values.mode;
  if (mode !== 'stream' && mode !== 'batch') usage(`--mode must be stream or batch, got "${mode}"`);
  if (mode === 'batch' && parallelism !== 1) usage('--mode batch runs at parallelism 1 only');
  return { dir, parallelism, out: values.out, bound, mode };
}

async function runBatchMode(dir: string, out: string): Promise<Finished> {
  const compiled = inAppPurchaseTemplate();
  const inputs: RawInput[] = [];
  for (const source of sourceOrder(compiled)) {
    try {
      for (const raw of await readRawLines(join(dir, `${source}.ndjson`)))
        inputs.push({ source, raw });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      console.error(`weft-run: ${dir}/${source}.ndjson is missing: read as empty`);
    }
  }
  const outcome = runWeftBatch(compiled, inputs);
  return {
    counts: {
      recordsIn: inputs.length,
      deadLetters: outcome.deadLetters,
      late: outcome.late,
      orphans: outcome.orphans,
      partitionConflicts: 0,
      maxHeapUsed: process.memoryUsage().heapUsed,
      maxBuffered: null,
    },
    output: () => {
      const lines = canonicalLines(outcome.sessions, inputs).sort();
      writeFileSync(out, lines.map((l) => `${l}\n`).join(''));
      return { sessions: lines.length, checksum: checksum(lines) };
    },
  };
}

/** Sorts the workers' or the job's line files into `out` and returns the checksum (untimed). */
function sortAndHash(files: readonly string[], nonAscii: boolean, out: string): string {
  sortLines(files, out, nonAscii);
  for (const f of files) rmSync(f, { force: true });
  return fileChecksum(out);
}

async function runStreamMode(dir: string, out: string, bound: number): Promise<Finished> {
  const compiled = inAppPurchaseTemplate();
  const file = new LineFile(`${out}.unsorted`);
  const job = new StreamingCorrelation(compiled, (lines) => file.write(lines));
  let maxHeapUsed = 0;
  const { recordsIn } = await feedInEventTimeOrder(
    { dir, sources: sourceOrder(compiled), outOfOrdernessMs: bound },
    {
      lines: (source, rank, firstSeq, lines) => job.lines(source, rank, firstSeq, lines),
      complete: (ts) => {
        job.complete(ts);
        maxHeapUsed = Math.max(maxHeapUsed, process.memoryUsage().heapUsed);
      },
    },
  );
  file.close();
  const c = job.counts;
  return {
    counts: { recordsIn, ...c, partitionConflicts: 0, maxHeapUsed, maxBuffered: c.maxBuffered },
    output: () => ({
      sessions: c.sessions,
      checksum: sortAndHash([file.path], file.nonAscii, out),
    }),
  };
}

async function runParallelMode(
  dir: string,
  out: string,
  bound: number,
  parallelism: number,
): Promise<Finished> {
  const run = await runParallel(inAppPurchaseTemplate(), dir, parallelism, {
    outOfOrdernessMs: bound,
    linesPrefix: `${out}.part`,
  });
  const c = run.counts;
  return {
    counts: {
      recordsIn: run.recordsIn,
      deadLetters: c.deadLetters,
      late: c.late,
      orphans: c.orphans,
      partitionConflicts: run.partitionConflicts,
      maxHeapUsed: run.maxHeapUsed,
      maxBuffered: c.maxBuffered,
    },
    output: () => ({
      sessions: c.sessions,
      checksum: sortAndHash(run.lineFiles, run.nonAscii, out),
    }),
  };
}

async function main(): Promise<void> {
  const { dir, parallelism, out, bound, mode } = parseFlags();
  const target = out ?? join(tmpdir(), `weft-run-${String(process.pid)}.ndjson`);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const run =
    mode === 'batch'
      ? await runBatchMode(dir, target)
      : parallelism === 1
        ? await runStreamMode(dir, target, bound)
        : await runParallelMode(dir, target, bound, parallelism);
  const elapsedMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const maxRssBytes = process.resourceUsage().maxRSS * 1024;
  const { sessions, checksum: sum } = run.output();
  if (out === undefined) rmSync(target, { force: true });
  const c = run.counts;
  const summary = {
    records_in: c.recordsIn,
    sessions,
    dropped: c.deadLetters,
    checksum: sum,
    elapsed_ms: Math.round(elapsedMs),
    records_per_s: Math.round(c.recordsIn / (elapsedMs / 1000)),
    cpu_ms: Math.round(cpuMs),
    records_per_cpu_s: Math.round(c.recordsIn / (cpuMs / 1000)),
    parallelism,
    mode,
    out_of_orderness_ms: mode === 'stream' ? bound : null,
    late: c.late,
    orphans: c.orphans,
    partition_conflicts: c.partitionConflicts,
    max_rss_bytes: maxRssBytes,
    max_heap_used_bytes: c.maxHeapUsed,
    max_buffered_records: c.maxBuffered,
    node_version: process.version,
    output: out ?? null,
  };
  console.log(JSON.stringify(summary));
}

await main();
