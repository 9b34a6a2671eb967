// Benchmark: generate in-app-purchase orders to NDJSON files with the default
// faults; report orders/s and record lines/s (wall and per CPU-second) and peak
// RSS, as the median, min and max of several runs.
//   npm run bench -w @weft/simulator -- [--orders N] [--runs N] [--out DIR] [--json FILE]
// Without --orders: 100,000 orders, or 1,000,000 when WEFT_BENCH_SCALE=full.
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createSimulation, fileDatasetSink, runSimulation } from '@weft/simulator';
import { metric, writeBenchResult } from '../../../bench/src/contract.js';

const { values } = parseArgs({
  options: {
    orders: { type: 'string' },
    runs: { type: 'string', default: '3' },
    out: { type: 'string' },
    json: { type: 'string' },
  },
});
const orders = wholeNumber(
  'orders',
  values.orders ?? (process.env.WEFT_BENCH_SCALE === 'full' ? '1000000' : '100000'),
);
const runs = wholeNumber('runs', values.runs);

interface Run {
  ordersPerSecond: number;
  linesPerSecond: number;
  linesPerCpuSecond: number;
  peakRssMb: number;
  lines: number;
}

const results: Run[] = [];
for (let i = 0; i < runs; i++) results.push(await once(i));

const report = {
  benchmark: 'simulator.generate',
  command: `npm run bench -w @weft/simulator -- --orders ${String(orders)} --runs ${String(runs)}`,
  startedAt: new Date().toISOString(),
  params: {
    scenario: 'in-app-purchase',
    orders,
    recordLines: results[0]?.lines ?? 0,
    loadAverage1m: Number(loadavg()[0]?.toFixed(1)),
    cpus: availableParallelism(),
  },
  metrics: [
    metric(
      'orders_per_second',
      'orders/s',
      results.map((r) => r.ordersPerSecond),
    ),
    metric(
      'records_per_second',
      'records/s',
      results.map((r) => r.linesPerSecond),
    ),
    metric(
      'records_per_cpu_second',
      'records/CPU-s',
      results.map((r) => r.linesPerCpuSecond),
    ),
    metric(
      'peak_rss',
      'MB',
      results.map((r) => r.peakRssMb),
    ),
  ],
};
console.log(JSON.stringify(report, null, 2));
if (values.json !== undefined) writeBenchResult(values.json, report);

async function once(run: number): Promise<Run> {
  const out = values.out ?? mkdtempSync(join(tmpdir(), 'weft-sim-bench-'));
  let peakRss = 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 200);
  const started = performance.now();
  const cpuStart = process.cpuUsage();
  const manifest = await runSimulation(
    createSimulation({ scenario: 'in-app-purchase', orders, seed: 1 + run }),
    { dataset: fileDatasetSink(out) },
  );
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  if (values.out === undefined) rmSync(out, { recursive: true, force: true });
  const lines = Object.values(manifest.counts.recordLines).reduce((a, b) => a + b, 0);
  return {
    ordersPerSecond: Math.round(orders / seconds),
    linesPerSecond: Math.round(lines / seconds),
    linesPerCpuSecond: Math.round(lines / ((cpu.user + cpu.system) / 1e6)),
    peakRssMb: Math.round(peakRss / 1e6),
    lines,
  };
}

function wholeNumber(flag: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`--${flag} must be a whole number ≥ 1, got "${text}".`);
    process.exit(2);
  }
  return n;
}
