// The stdin source through the correlation pipeline, as a process of its own
// whose standard input is a real pipe (no `weft` command reads stdin yet):
// one template source comes from stdin (`readNdjsonStream(process.stdin)`),
// the others from `DIR/<source>.ndjson`, then decoding with dead letters, the
// engine job and the batching writer into the store — the pieces
// `weft correlate --input` uses. Prints one JSON line: the run summary and
// the process's peak RSS.
//
//   node --conditions=weft-source --import tsx test/support/reliability-stdin-runner.ts \
//     --template T.json --dir DIR --stdin-source pay_done --db sqlite:PATH < lines.ndjson
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { applyMigrations, openStore } from '@weft/storage';
import { loadTemplate } from '@weft/templates';
import { createLogger } from '../../src/logging.js';
import { createMetrics } from '../../src/metrics.js';
import { createStoreSink } from '../../src/pipeline/index.js';
import type { SinkItem } from '../../src/pipeline/index.js';
import {
  createEngineJob,
  createObservedWriter,
  emptySummary,
  finalize,
  interleave,
  tally,
} from '../../src/run/index.js';
import { createGate } from '../../src/run/gate.js';
import { decodeInput, openNdjsonDirectory, readNdjsonStream } from '../../src/sources/index.js';

const { values } = parseArgs({
  options: {
    template: { type: 'string' },
    dir: { type: 'string' },
    'stdin-source': { type: 'string' },
    db: { type: 'string' },
  },
});
const { template: templatePath, dir, db } = values;
const stdinSource = values['stdin-source'];
if (!templatePath || !dir || !stdinSource || !db) {
  console.error('usage: --template FILE --dir DIR --stdin-source SOURCE --db URL (lines on stdin)');
  process.exit(2);
}

const limits = { maxBytes: 1 << 20, maxDepth: 64 };
let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);

const template = loadTemplate(JSON.parse(await readFile(templatePath, 'utf8')));
const job = createEngineJob(template);
const store = await openStore(db);
await applyMigrations(store);
const gate = createGate();
const { writer } = createObservedWriter({
  sink: createStoreSink(store),
  sinkOptions: { batchMaxRecords: 500, batchMaxDelayMs: 50, maxQueued: 5_000 },
  metrics: createMetrics({ processMetrics: false }),
  logger: createLogger({ level: 'warn' }),
  onBackpressure: (paused) => gate.set(!paused),
});
const files = await openNdjsonDirectory(
  dir,
  job.sources.filter((source) => source !== stdinSource),
  { maxLineBytes: limits.maxBytes },
);
const summary = emptySummary(job.templateId, files.missing, files.unknown);
const now = () => 1_764_100_000_000;
const emit = (items: readonly SinkItem[]): void => {
  tally(summary, items);
  if (items.length > 0) writer.enqueue(items).catch(() => undefined);
};
const stdin = readNdjsonStream(process.stdin, stdinSource, '-', { maxLineBytes: limits.maxBytes });
for await (const input of interleave([...files.streams.map((s) => s.inputs), stdin])) {
  await gate.wait();
  summary.inputs[input.source] = (summary.inputs[input.source] ?? 0) + 1;
  const decoded = decodeInput(input, { limits, templateId: job.templateId, now });
  emit(
    decoded.ok
      ? job.push({ source: input.source, raw: decoded.text, origin: input.origin }, now())
      : [{ kind: 'deadLetter', deadLetter: decoded.deadLetter }],
  );
}
emit(job.finish(now()));
await writer.close();
await store.close();
clearInterval(sampler);
console.log(JSON.stringify({ summary: finalize(summary), peakRssBytes: peakRss }));
