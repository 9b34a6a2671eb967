// Throughput and memory of the correlation job on the in-app-purchase example
// (4 baseline + 2 supplement sources, 10 records per session), in-process, one
// thread. Run: npm run bench -w @weft/engine [-- --json FILE] [--runs N] [--records 100000,1000000]
// WEFT_BENCH_SCALE=quick measures 100k records only, 3 runs. BENCH_ONLY=throughput|memory|stages
// runs one part (e.g. under node --cpu-prof).
import { parseArgs } from 'node:util';
import { CorrelationJob } from '../src/index.js';
import { purchaseTemplate } from '../test/support/in-app-purchase.js';
import { metric, writeBenchResult } from '../../../bench/src/contract.js';
import type { Metric } from '../../../bench/src/contract.js';
import { measureMemory } from './memory.js';
import { LINES_PER_SESSION, generate } from './purchase-input.js';
import type { TimedInput } from './purchase-input.js';
import { measureStages } from './stages.js';

const WATERMARK_EVERY = 1024;
const OUT_OF_ORDERNESS_MS = 10_000;
const compiled = purchaseTemplate();

const { values } = parseArgs({
  options: {
    json: { type: 'string' },
    runs: { type: 'string' },
    records: { type: 'string' },
  },
});
const quick = process.env.WEFT_BENCH_SCALE === 'quick';
const runs = Number(values.runs ?? (quick ? 3 : 5));
const scales = (values.records ?? (quick ? '100000' : '100000,1000000')).split(',').map(Number);
for (const n of [runs, ...scales]) {
  if (!Number.isInteger(n) || n < 1) {
    console.error(`--runs and --records take positive integers, got ${String(n)}`);
    process.exit(2);
  }
}

interface Run {
  readonly wall: number;
  readonly cpu: number;
  readonly outputs: number;
}

/**
 * One run of the streaming job: watermark (max - out-of-orderness - 1) and
 * processing time every 1,024 records; `coalesce` emits session updates once
 * per advance.
 */
function runOnce(lines: readonly TimedInput[], coalesce: boolean): Run {
  let outputs = 0;
  const job = new CorrelationJob(compiled, { emit: () => void outputs++, coalesce });
  globalThis.gc?.();
  const started = process.hrtime.bigint();
  const cpuStarted = process.cpuUsage();
  let maxTs = 0;
  for (let i = 0; i < lines.length; i++) {
    const { at, input } = lines[i]!;
    job.ingest(input);
    if (at > maxTs) maxTs = at;
    if ((i & (WATERMARK_EVERY - 1)) === 0) {
      job.advanceWatermark(maxTs - OUT_OF_ORDERNESS_MS - 1);
      job.advanceProcessingTime(i);
    }
  }
  job.advanceWatermark(Number.POSITIVE_INFINITY);
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuStarted);
  return { wall, cpu: (cpu.user + cpu.system) / 1e6, outputs };
}

const startedAt = new Date().toISOString();
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const metrics: Metric[] = [];
const only = process.env.BENCH_ONLY;

if (only === undefined || only === 'throughput') {
  for (const [records, coalesce] of scales.flatMap((n) => [
    [n, false] as const,
    [n, true] as const,
  ])) {
    const sessions = Math.ceil(records / LINES_PER_SESSION);
    const lines = generate(sessions).slice(0, records);
    runOnce(lines.slice(0, 20_000), coalesce); // warm-up (JIT), not counted
    const done = Array.from({ length: runs }, () => runOnce(lines, coalesce));
    const params = { records: lines.length, sessions, coalesce };
    const wall = metric(
      'records_per_second',
      'records/s',
      done.map((r) => lines.length / r.wall),
      params,
    );
    const cpu = metric(
      'records_per_cpu_second',
      'records/CPU-s',
      done.map((r) => lines.length / r.cpu),
      params,
    );
    metrics.push(wall, cpu);
    console.log(
      `throughput${coalesce ? ' (coalesce)' : ''}, ${fmt(lines.length)} records, ${fmt(sessions)} sessions, ${fmt(done[0]!.outputs)} outputs, ${runs} runs: ` +
        `wall ${fmt(wall.median)} records/s (min ${fmt(wall.min)}, max ${fmt(wall.max)}); ` +
        `CPU ${fmt(cpu.median)} records/CPU-s (min ${fmt(cpu.min)}, max ${fmt(cpu.max)})`,
    );
  }
}

if ((only === undefined || only === 'memory') && globalThis.gc !== undefined) {
  const figures = Array.from({ length: 3 }, () => measureMemory(compiled, 20_000));
  const params = { sessions: 20_000, supplementRecords: 20_000 };
  const perSession = figures.map((f) => f.perOpenSession);
  const perRecord = figures.map((f) => f.perBufferedRecord);
  metrics.push(
    metric('heap_bytes_per_open_session', 'bytes', perSession, params),
    metric('heap_bytes_per_buffered_record', 'bytes', perRecord, params),
    metric(
      'open_session_state_to_raw_ratio',
      '×',
      figures.map((f) => f.stateToRaw),
      params,
      2,
    ),
  );
  const m = metrics.slice(-3);
  console.log(
    `memory (3 runs, medians): ${fmt(m[0]!.median)} heap bytes per open session (5 baseline records, not fired), ` +
      `${fmt(m[1]!.median)} per buffered supplement record; open-session state = ${m[2]!.median}× its raw bytes`,
  );
} else if (only === 'memory') {
  console.log('memory: run with --expose-gc to measure heap per session / per buffered record');
}

if (only === 'stages') {
  const s = measureStages(compiled);
  console.log(
    `stages: prepare (JSON.parse + extraction + routing) ${fmt(s.prepare!)} records/CPU-s; ` +
      `template evaluate (CEL) ${fmt(s.evaluate!)} sessions/CPU-s; engine core ${fmt(s.core!)} elements/CPU-s`,
  );
}

if (values.json !== undefined) {
  const args = process.argv
    .slice(2)
    .filter((a, i, all) => a !== '--json' && all[i - 1] !== '--json');
  const scale = process.env.WEFT_BENCH_SCALE
    ? `WEFT_BENCH_SCALE=${process.env.WEFT_BENCH_SCALE} `
    : '';
  writeBenchResult(values.json, {
    benchmark: 'engine.correlation-job',
    command: `${scale}npm run bench -w @weft/engine${args.length ? ` -- ${args.join(' ')}` : ''}`,
    startedAt,
    params: {
      template: 'in-app-purchase',
      linesPerSession: LINES_PER_SESSION,
      watermarkEvery: WATERMARK_EVERY,
      outOfOrdernessMs: OUT_OF_ORDERNESS_MS,
      runs,
      node: process.version,
    },
    metrics,
  });
  console.log(`wrote ${values.json}`);
}
