// A fingerprint of everything the job emits on the benchmark input, to check
// that a performance change keeps the output byte-identical: run it before
// and after the change and compare. Three variants: arrival in event-time
// order, shuffled within the out-of-orderness with some records late, and
// with an enricher. Run: node --conditions=weft-source --import tsx bench/digest.ts [sessions]
import { createHash } from 'node:crypto';
import type { FieldValue } from '@weft/templates';
import { CorrelationJob } from '../src/index.js';
import { purchaseTemplate } from '../test/support/in-app-purchase.js';
import { generate } from './purchase-input.js';
import type { TimedInput } from './purchase-input.js';

const sessions = Number(process.argv[2] ?? 3_000);
const compiled = purchaseTemplate();

/** A deterministic pseudo-random sequence (xorshift32), so the shuffle is the same every run. */
function random(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

function digest(lines: readonly TimedInput[], enrich: boolean): string {
  const hash = createHash('sha256');
  const catalog = (f: Readonly<Record<string, FieldValue>>) => ({
    item_name: `item ${String(f.item_id)}`,
    category: 'gems',
    price_cents: 600,
  });
  const job = new CorrelationJob(compiled, {
    emit: (e) => hash.update(JSON.stringify(e)),
    ...(enrich ? { enrich: catalog } : {}),
  });
  let maxTs = 0;
  lines.forEach(({ at, input }, i) => {
    job.ingest(input);
    maxTs = Math.max(maxTs, at);
    if (i % 97 === 0) job.advanceWatermark(maxTs - 10_001);
    if (i % 89 === 0) job.advanceProcessingTime(i * 1_000);
  });
  job.advanceWatermark(Number.POSITIVE_INFINITY);
  return hash.digest('hex').slice(0, 16);
}

const ordered = generate(sessions);
const next = random(42);
const shuffled = ordered
  .map((line) => ({ line, arrival: line.at + (next() < 0.02 ? 400_000 : next() * 10_000) }))
  .sort((a, b) => a.arrival - b.arrival)
  .map((a) => a.line);
console.log(
  `ordered ${digest(ordered, false)} shuffled ${digest(shuffled, false)} enriched ${digest(shuffled, true)}`,
);
