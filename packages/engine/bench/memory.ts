// Heap held by open sessions and by buffered supplements, measured with forced GC.
import { CorrelationJob } from '../src/index.js';
import type { CompiledTemplate } from '@weft/templates';
import type { RawInput } from '../src/index.js';
import { purchaseRecord } from '../test/support/in-app-purchase.js';
import { T0, generate } from './purchase-input.js';

export interface MemoryFigures {
  /** Heap bytes per open (not yet fired) session of 5 baseline records. */
  readonly perOpenSession: number;
  /** Heap bytes per supplement record waiting in the buffer. */
  readonly perBufferedRecord: number;
  /** Heap per open session over the raw bytes of the records it holds. */
  readonly stateToRaw: number;
}

function heapUsed(): number {
  globalThis.gc!();
  globalThis.gc!();
  return process.memoryUsage().heapUsed;
}

/** Needs `--expose-gc`; `n` sessions and `n` buffered records. */
export function measureMemory(compiled: CompiledTemplate, n: number): MemoryFigures {
  const keep: unknown[] = [];
  const baseline = generate(n)
    .map((l) => l.input)
    .filter((input) => ['client_order', 'pay_page', 'receipt'].includes(input.source));
  const rawBytes = baseline.reduce((sum, input) => sum + Buffer.byteLength(input.raw), 0);
  const before = heapUsed();
  const job = new CorrelationJob(compiled, { emit: (e) => keep.push(e) });
  for (const input of baseline) job.ingest(input);
  const sessionsHeap = heapUsed() - before;
  const supplements: RawInput[] = [];
  for (let i = 0; i < n; i++)
    supplements.push(purchaseRecord('channel_callback', 1_000_000 + i, T0 + i));
  const beforeSupplements = heapUsed();
  const buffer = new CorrelationJob(compiled, { emit: (e) => keep.push(e) });
  for (const input of supplements) buffer.ingest(input);
  const supplementsHeap = heapUsed() - beforeSupplements;
  if (job.liveSessionCount !== 0 || buffer.pendingSupplementCount !== n || keep.length !== 0) {
    throw new Error('memory bench: the jobs did not hold what they should (a session fired?)');
  }
  return {
    perOpenSession: sessionsHeap / n,
    perBufferedRecord: supplementsHeap / n,
    stateToRaw: sessionsHeap / rawBytes,
  };
}
