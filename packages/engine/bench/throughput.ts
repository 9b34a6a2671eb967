// Throughput and memory of the correlation job on the in-app-purchase example
// (4 baseline + 2 supplement sources, 10 records per session), in-process and
// on one core. Run: npm run bench -w @weft/engine
import {
  CorrelationJob,
  WindowOperator,
  countCompleteness,
  prepareRecord,
  sessionTrigger,
  sessionWindows,
} from '../src/index.js';
import type { JobEvent, RawInput } from '../src/index.js';
import { purchaseRecord, purchaseTemplate } from '../test/support/in-app-purchase.js';

const SESSIONS = Number(process.env.BENCH_SESSIONS ?? 30_000);
const SPACING_MS = 200; // a new order every 200 ms: ~6,000 sessions open at once (gap 20 min)
const T0 = 1_764_000_000_000;
const compiled = purchaseTemplate();

/** Ten raw lines per order: the four baseline steps (pay page three times), both supplements, two duplicated lines. */
function sessionLines(n: number): { at: number; input: RawInput }[] {
  const t0 = T0 + n * SPACING_MS;
  const at = (offset: number, input: RawInput) => ({ at: t0 + offset, input });
  const order = purchaseRecord('client_order', n, t0);
  const delivery = purchaseRecord('delivery', n, t0 + 35_000);
  return [
    at(0, order),
    at(2_000, purchaseRecord('pay_page', n, t0 + 2_000, 0)),
    at(4_000, purchaseRecord('pay_page', n, t0 + 4_000, 1)),
    at(6_000, purchaseRecord('pay_page', n, t0 + 6_000, 2)),
    at(12_000, purchaseRecord('receipt', n, t0 + 12_000)),
    at(30_000, purchaseRecord('pay_done', n, t0 + 30_000)),
    at(31_000, purchaseRecord('channel_callback', n, t0 + 31_000)),
    at(35_000, delivery),
    at(36_000, order),
    at(37_000, delivery),
  ];
}

function generate(sessions: number): { at: number; input: RawInput }[] {
  const lines: { at: number; input: RawInput }[] = [];
  for (let n = 0; n < sessions; n++) lines.push(...sessionLines(n));
  return lines.sort((a, b) => a.at - b.at);
}

function throughput(): void {
  const lines = generate(SESSIONS);
  let emitted = 0;
  const job = new CorrelationJob(compiled, { emit: (_e: JobEvent) => void emitted++ });
  const started = process.hrtime.bigint();
  const cpuStarted = process.cpuUsage();
  let maxTs = 0;
  for (let i = 0; i < lines.length; i++) {
    const { at, input } = lines[i]!;
    job.ingest(input);
    if (at > maxTs) maxTs = at;
    if ((i & 1023) === 0) {
      job.advanceWatermark(maxTs - 10_000 - 1);
      job.advanceProcessingTime(i);
    }
  }
  job.advanceWatermark(Number.POSITIVE_INFINITY);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuStarted);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const rate = (s: number) => Math.round(lines.length / s).toLocaleString('en-US');
  console.log(
    `throughput: ${lines.length} records, ${SESSIONS} sessions, ${emitted} outputs; wall ${seconds.toFixed(2)} s = ${rate(seconds)} records/s; CPU ${cpuSeconds.toFixed(2)} s = ${rate(cpuSeconds)} records/CPU-s`,
  );
}

function heapUsed(): number {
  globalThis.gc?.();
  globalThis.gc?.();
  return process.memoryUsage().heapUsed;
}

/** Heap per open session: baseline records of N sessions, watermark never advancing. */
function memory(): void {
  if (globalThis.gc === undefined) {
    console.log('memory: run with --expose-gc to measure heap per session / per buffered record');
    return;
  }
  const n = 20_000;
  const keep: unknown[] = [];
  const sessionInputs = generate(n).filter((l) =>
    ['client_order', 'pay_page', 'receipt'].includes(l.input.source),
  );
  const before = heapUsed();
  const job = new CorrelationJob(compiled, { emit: (e) => keep.push(e) });
  for (const { input } of sessionInputs) job.ingest(input);
  const perSession = (heapUsed() - before) / n;
  const supplements: RawInput[] = [];
  for (let i = 0; i < n; i++)
    supplements.push(purchaseRecord('channel_callback', 1_000_000 + i, T0 + i));
  const beforeSupplements = heapUsed();
  const buffer = new CorrelationJob(compiled, { emit: (e) => keep.push(e) });
  for (const input of supplements) buffer.ingest(input);
  const perRecord = (heapUsed() - beforeSupplements) / n;
  console.log(
    `memory: ${Math.round(perSession)} heap bytes per open session (5 baseline records, not yet fired); ${Math.round(perRecord)} heap bytes per buffered supplement record (${job.liveSessionCount + buffer.pendingSupplementCount} held)`,
  );
}

function cpuRate(count: number, work: () => void): string {
  const started = process.cpuUsage();
  work();
  const used = process.cpuUsage(started);
  return Math.round(count / ((used.user + used.system) / 1e6)).toLocaleString('en-US');
}

/** Where the time goes: the template's extraction and CEL evaluation vs the engine's own operators. */
function stages(): void {
  const lines = generate(10_000).map((l) => l.input);
  const prepare = cpuRate(lines.length, () => {
    for (const input of lines) prepareRecord(compiled, input, 0);
  });
  const first = prepareRecord(compiled, lines[0]!, 0);
  const nodes = first.ok ? [{ node: 'client_order', records: [first.routed.record] }] : [];
  const evaluate = cpuRate(20_000, () => {
    for (let i = 0; i < 20_000; i++) compiled.evaluate({ nodes });
  });
  const elements = 3_000_000;
  const operator = new WindowOperator<number, number>({
    assigner: sessionWindows(1_200_000),
    trigger: sessionTrigger({ completeness: countCompleteness(10), timeoutMs: 120_000 }),
    aggregate: { create: () => 0, add: (a, v) => a + v, merge: (a, b) => a + b },
    allowedLatenessMs: 300_000,
    retractAbsorbedFirings: true,
    output: { fired: () => undefined, late: () => undefined, retracted: () => undefined },
  });
  const core = cpuRate(elements, () => {
    for (let i = 0; i < elements; i++) {
      const session = Math.floor(i / 10);
      operator.processElement(`O${session}`, 1, session * SPACING_MS + (i % 10) * 3_000);
      if ((i & 1023) === 0) {
        operator.advanceWatermark(session * SPACING_MS - 10_001);
        operator.advanceProcessingTime(i);
      }
    }
    operator.advanceWatermark(Number.POSITIVE_INFINITY);
  });
  console.log(
    `stages: prepare (JSON.parse + template extraction + routing) ${prepare} records/CPU-s; template evaluate (derived + conclusions, CEL) ${evaluate} sessions/CPU-s; engine core (WindowOperator + SessionTrigger, 3M elements) ${core} elements/CPU-s`,
  );
}

// BENCH_ONLY=throughput|stages|memory runs one part (for profiling).
const only = process.env.BENCH_ONLY;
if (only === undefined || only === 'throughput') throughput();
if (only === undefined || only === 'stages') stages();
if (only === undefined || only === 'memory') memory();
