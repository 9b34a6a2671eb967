import { parentPort } from 'node:worker_threads';
import type { RawInput } from '@weft/engine';
import type { BatchOutcome } from './weft-job.js';
import { canonicalLines, inAppPurchaseTemplate, runWeftBatch } from './weft-job.js';

/**
 * One partition of Weft at parallelism > 1: collects its lines, runs the
 * engine's batch mode when told to, then (outside the timed part) prints its
 * sessions in canonical form. Messages: see ./weft-parallel.ts.
 */
export type ToWorker =
  | { readonly type: 'input'; readonly inputs: RawInput[] }
  | { readonly type: 'run' }
  | { readonly type: 'canonical' };

export type FromWorker =
  | {
      readonly type: 'ran';
      readonly sessions: number;
      readonly deadLetters: number;
      readonly late: number;
      readonly orphans: number;
    }
  | { readonly type: 'canonical'; readonly lines: string[] };

const port = parentPort;
if (port === null) throw new Error('weft-worker.ts runs only as a worker thread');
const compiled = inAppPurchaseTemplate();
const inputs: RawInput[] = [];
let outcome: BatchOutcome | undefined;

port.on('message', (message: ToWorker) => {
  if (message.type === 'input') {
    for (const input of message.inputs) inputs.push(input);
  } else if (message.type === 'run') {
    outcome = runWeftBatch(compiled, inputs);
    const { deadLetters, late, orphans } = outcome;
    port.postMessage({
      type: 'ran',
      sessions: outcome.sessions.length,
      deadLetters,
      late,
      orphans,
    } satisfies FromWorker);
  } else {
    if (outcome === undefined) throw new Error('canonical requested before run');
    port.postMessage({
      type: 'canonical',
      lines: canonicalLines(outcome.sessions, inputs),
    } satisfies FromWorker);
    port.close();
  }
});
