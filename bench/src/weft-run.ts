import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { RawInput } from '@weft/engine';
import { checksum } from './canonical.js';
import { readSourceLines, runParallel } from './weft-parallel.js';
import { canonicalLines, inAppPurchaseTemplate, runWeftBatch, sourceOrder } from './weft-job.js';

/**
 * One timed run of Weft's engine over simulated NDJSON files, the counterpart
 * of bench/peers/flink/run.sh: prints one summary JSON line with the same
 * field names. Run it in a fresh process per measurement:
 *
 *   node --import tsx bench/src/weft-run.ts DIR [--parallelism 1|2] [--out FILE]
 *
 * The timed part reads the files, (at P > 1) partitions them, runs the batch
 * job and keeps the final sessions; computing the canonical lines is not timed.
 */

interface Counts {
  recordsIn: number;
  sessions: number;
  deadLetters: number;
  late: number;
  orphans: number;
  partitionConflicts: number;
}

function usage(message: string): never {
  console.error(`weft-run: ${message}\nusage: weft-run.ts DIR [--parallelism N] [--out FILE]`);
  process.exit(2);
}

function parseFlags() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { parallelism: { type: 'string', default: '1' }, out: { type: 'string' } },
  });
  const dir = positionals[0];
  if (dir === undefined || positionals.length > 1) usage('give exactly one input directory');
  const parallelism = Number(values.parallelism);
  if (!Number.isInteger(parallelism) || parallelism < 1 || parallelism > 64)
    usage(`--parallelism must be an integer from 1 to 64, got "${values.parallelism}"`);
  return { dir, parallelism, out: values.out };
}

async function runSingle(
  dir: string,
): Promise<{ counts: Counts; canonical: () => Promise<string[]> }> {
  const compiled = inAppPurchaseTemplate();
  const inputs: RawInput[] = [];
  for (const source of sourceOrder(compiled)) {
    for (const raw of await readSourceLines(dir, source)) inputs.push({ source, raw });
  }
  const outcome = runWeftBatch(compiled, inputs);
  const counts = {
    recordsIn: inputs.length,
    sessions: outcome.sessions.length,
    deadLetters: outcome.deadLetters,
    late: outcome.late,
    orphans: outcome.orphans,
    partitionConflicts: 0,
  };
  return { counts, canonical: async () => canonicalLines(outcome.sessions, inputs) };
}

async function main(): Promise<void> {
  const { dir, parallelism, out } = parseFlags();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const run =
    parallelism === 1
      ? await runSingle(dir)
      : await runParallel(inAppPurchaseTemplate(), dir, parallelism).then((r) => ({
          counts: r,
          canonical: r.canonical,
        }));
  const elapsedMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const lines = (await run.canonical()).sort();
  if (out !== undefined) writeFileSync(out, lines.map((l) => `${l}\n`).join(''));
  const c = run.counts;
  const summary = {
    records_in: c.recordsIn,
    sessions: lines.length,
    dropped: c.deadLetters,
    checksum: checksum(lines),
    elapsed_ms: Math.round(elapsedMs),
    records_per_s: Math.round(c.recordsIn / (elapsedMs / 1000)),
    cpu_ms: Math.round(cpuMs),
    records_per_cpu_s: Math.round(c.recordsIn / (cpuMs / 1000)),
    parallelism,
    late: c.late,
    orphans: c.orphans,
    partition_conflicts: c.partitionConflicts,
    max_rss_bytes: process.resourceUsage().maxRSS * 1024,
    node_version: process.version,
    output: out ?? null,
  };
  console.log(JSON.stringify(summary));
}

await main();
