import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import type { RawInput } from '@weft/engine';
import type { CompiledTemplate } from '@weft/templates';
import { readRawLines } from './lines.js';
import { createPartitioner } from './partition.js';
import { sourceOrder } from './weft-job.js';
import type { FromWorker, ToWorker } from './weft-worker.js';

const CHUNK = 8192;

/** Counts of a finished run; `canonical` fetches the session lines afterwards (untimed). */
export interface ParallelRun {
  readonly recordsIn: number;
  readonly sessions: number;
  readonly deadLetters: number;
  readonly late: number;
  readonly orphans: number;
  readonly partitionConflicts: number;
  canonical(): Promise<string[]>;
}

function send(worker: Worker, message: ToWorker): void {
  worker.postMessage(message);
}

async function next(worker: Worker, type: FromWorker['type']): Promise<FromWorker> {
  const [message] = (await once(worker, 'message')) as [FromWorker];
  if (message.type !== type) throw new Error(`worker sent ${message.type}, expected ${type}`);
  return message;
}

/**
 * Weft at parallelism P: this thread reads the files and hash-partitions the
 * lines by business key (createPartitioner) over P worker threads, each of
 * which runs the engine's batch mode on its partition.
 */
export async function runParallel(
  compiled: CompiledTemplate,
  dir: string,
  parallelism: number,
): Promise<ParallelRun> {
  const workerUrl = new URL('./weft-worker-entry.mjs', import.meta.url);
  const workers = Array.from({ length: parallelism }, () => new Worker(workerUrl));
  for (const w of workers)
    w.on('error', (error) => {
      throw error;
    });
  const partitioner = createPartitioner(compiled, parallelism);
  const buckets: RawInput[][] = workers.map(() => []);
  const flush = (p: number) => {
    send(workers[p]!, { type: 'input', inputs: buckets[p]! });
    buckets[p] = [];
  };
  let recordsIn = 0;
  for (const source of sourceOrder(compiled)) {
    for (const raw of await readSourceLines(dir, source)) {
      const p = partitioner.partitionOf(source, raw);
      buckets[p]!.push({ source, raw });
      recordsIn++;
      if (buckets[p]!.length >= CHUNK) flush(p);
    }
  }
  workers.forEach((_, p) => flush(p));
  const ran = await Promise.all(
    workers.map(async (w) => {
      send(w, { type: 'run' });
      return next(w, 'ran');
    }),
  );
  const sum = (pick: (m: Extract<FromWorker, { type: 'ran' }>) => number) =>
    ran.reduce((total, m) => total + (m.type === 'ran' ? pick(m) : 0), 0);
  return {
    recordsIn,
    sessions: sum((m) => m.sessions),
    deadLetters: sum((m) => m.deadLetters),
    late: sum((m) => m.late),
    orphans: sum((m) => m.orphans),
    partitionConflicts: partitioner.conflicts,
    canonical: async () => {
      const parts = await Promise.all(
        workers.map(async (w) => {
          send(w, { type: 'canonical' });
          const m = await next(w, 'canonical');
          return m.type === 'canonical' ? m.lines : [];
        }),
      );
      await Promise.all(workers.map((w) => w.terminate()));
      return parts.flat();
    },
  };
}

/** A source's lines; a missing file reads as empty, as in the Flink peer. */
export async function readSourceLines(dir: string, source: string): Promise<string[]> {
  try {
    return await readRawLines(`${dir}/${source}.ndjson`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    console.error(`weft-run: ${dir}/${source}.ndjson is missing: read as empty`);
    return [];
  }
}
