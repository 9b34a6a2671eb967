import { parentPort, workerData } from 'node:worker_threads';
import { LineFile } from './sorted-output.js';
import { StreamingCorrelation } from './stream-job.js';
import type { StreamCounts } from './stream-job.js';
import { inAppPurchaseTemplate } from './weft-job.js';

/**
 * One partition of Weft at parallelism > 1: a StreamingCorrelation fed by
 * the partitioning thread, writing its canonical session lines to its own
 * file. Messages: see ./weft-parallel.ts.
 */
export type ToWorker =
  | {
      readonly type: 'input';
      readonly sources: readonly string[];
      readonly ranks: readonly number[];
      readonly seqs: readonly number[];
      readonly lines: readonly string[];
      /** Event time complete up to here once these lines are in, or null. */
      readonly complete: number | null;
    }
  | { readonly type: 'finish' };

export type FromWorker =
  | { readonly type: 'ack' }
  | {
      readonly type: 'done';
      readonly counts: StreamCounts;
      readonly maxHeapUsed: number;
      readonly nonAscii: boolean;
    }
  | { readonly type: 'failed'; readonly message: string };

export interface WorkerData {
  readonly linesFile: string;
}

const port = parentPort;
if (port === null) throw new Error('weft-worker.ts runs only as a worker thread');
const file = new LineFile((workerData as WorkerData).linesFile);
const job = new StreamingCorrelation(inAppPurchaseTemplate(), (lines) => file.write(lines));
let maxHeapUsed = 0;

function handle(message: ToWorker): FromWorker {
  if (message.type === 'input') {
    const { sources, ranks, seqs, lines } = message;
    for (let i = 0; i < lines.length; i++) job.push(sources[i]!, ranks[i]!, seqs[i]!, lines[i]!);
    if (message.complete !== null) {
      job.complete(message.complete);
      maxHeapUsed = Math.max(maxHeapUsed, process.memoryUsage().heapUsed);
    }
    return { type: 'ack' };
  }
  job.complete(Number.POSITIVE_INFINITY);
  file.close();
  return { type: 'done', counts: job.counts, maxHeapUsed, nonAscii: file.nonAscii };
}

port.on('message', (message: ToWorker) => {
  try {
    port.postMessage(handle(message) satisfies FromWorker);
  } catch (error) {
    port.postMessage({ type: 'failed', message: (error as Error).message } satisfies FromWorker);
  }
});
