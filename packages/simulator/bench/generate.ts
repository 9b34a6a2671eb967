// Benchmark: generate N in-app-purchase orders (default 1,000,000) to NDJSON
// files with the default faults, and report wall time, throughput and peak RSS.
//   npm run bench -w @weft/simulator -- [orders] [out-dir]
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSimulation, fileDatasetSink, runSimulation } from '@weft/simulator';

const orders = Number(process.argv[2] ?? 1_000_000);
const keep = process.argv[3] !== undefined;
const out = process.argv[3] ?? mkdtempSync(join(tmpdir(), 'weft-sim-bench-'));

let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 200);
const started = performance.now();
const cpuStart = process.cpuUsage();
const manifest = await runSimulation(
  createSimulation({ scenario: 'in-app-purchase', orders, seed: 1 }),
  { dataset: fileDatasetSink(out) },
);
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuStart);
clearInterval(sampler);
peakRss = Math.max(peakRss, process.memoryUsage().rss);
const lines = Object.values(manifest.counts.recordLines).reduce((a, b) => a + b, 0);
console.log(
  JSON.stringify({
    orders,
    recordLines: lines,
    truthLines: manifest.counts.sessions + manifest.counts.orphans + manifest.counts.deadLetters,
    wallSeconds: Number(seconds.toFixed(1)),
    cpuSeconds: Number(((cpu.user + cpu.system) / 1e6).toFixed(1)),
    ordersPerSecond: Math.round(orders / seconds),
    peakRssMb: Math.round(peakRss / 1e6),
    loadAverage1m: Number(loadavg()[0]?.toFixed(1)),
    cpus: availableParallelism(),
    out: keep ? out : '(deleted)',
  }),
);
if (!keep) rmSync(out, { recursive: true, force: true });
