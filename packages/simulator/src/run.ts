import type { Pacing } from './pacing.js';
import { paced } from './pacing.js';
import type { SimEvent, Simulation, SimulationCounts } from './simulation.js';
import type { DatasetSink, KeyedRecord, LineSink, RecordSink } from './sinks.js';
import { topicOf } from './sinks.js';
import type { ResolvedOptions } from './options.js';

/** `manifest.json`: what was generated, how, and how much. */
export interface Manifest {
  readonly generator: '@weft/simulator';
  readonly formatVersion: 1;
  readonly options: ResolvedOptions;
  readonly files: {
    readonly sources: Record<string, string>;
    readonly truth: string;
    readonly dimensions: Record<string, string>;
  };
  readonly topics: Record<string, string>;
  readonly dimensionRows: Record<string, number>;
  readonly counts: SimulationCounts;
}

/** Where a run writes: files, a message bus, or both; optionally paced in real time. */
export interface RunTargets {
  readonly dataset?: DatasetSink;
  readonly records?: RecordSink;
  readonly pacing?: Pacing;
  /** Topic of source S is `<topicPrefix>S`. Default `weft.src.`. */
  readonly topicPrefix?: string;
  /** Called with the number of true sessions generated so far, about every 1,000. */
  readonly onProgress?: (sessions: number) => void;
}

const UNPACED_BATCH = 2000;

/**
 * Runs a simulation to completion into its targets and returns the manifest
 * (also written as `manifest.json` when there is a dataset). Example:
 * `await runSimulation(createSimulation(opts), { dataset: fileDatasetSink('out') })`.
 */
export async function runSimulation(
  simulation: Simulation,
  targets: RunTargets,
): Promise<Manifest> {
  const files =
    targets.dataset === undefined ? undefined : await openFiles(simulation, targets.dataset);
  const batches =
    targets.pacing === undefined
      ? chunked(simulation.events())
      : paced(simulation.events(), targets.pacing);
  let reported = 0;
  for await (const batch of batches) {
    if (files !== undefined) await writeBatch(files, batch);
    if (targets.records !== undefined) await sendBatch(targets.records, batch, targets.topicPrefix);
    if (targets.onProgress !== undefined && simulation.counts.sessions - reported >= 1000) {
      reported = simulation.counts.sessions;
      targets.onProgress(reported);
    }
  }
  targets.onProgress?.(simulation.counts.sessions);
  const result = buildManifest(simulation, targets.topicPrefix);
  if (files !== undefined && targets.dataset !== undefined) {
    await Promise.all([...files.sources.values(), files.truth].map((sink) => sink.close()));
    await writeWhole(targets.dataset, 'manifest.json', [JSON.stringify(result, null, 2)]);
  }
  return result;
}

function* chunked(events: Iterable<SimEvent>): Generator<SimEvent[]> {
  let batch: SimEvent[] = [];
  for (const event of events) {
    batch.push(event);
    if (batch.length >= UNPACED_BATCH) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

interface OpenFiles {
  readonly sources: Map<string, LineSink>;
  readonly truth: LineSink;
}

async function openFiles(simulation: Simulation, dataset: DatasetSink): Promise<OpenFiles> {
  for (const table of simulation.dimensions) {
    await writeWhole(
      dataset,
      `${table.name}.ndjson`,
      table.rows.map((row) => JSON.stringify(row)),
    );
  }
  const sources = new Map(
    simulation.sources.map((source) => [source, dataset.open(`${source}.ndjson`)]),
  );
  return { sources, truth: dataset.open('truth.ndjson') };
}

async function writeWhole(
  dataset: DatasetSink,
  name: string,
  lines: readonly string[],
): Promise<void> {
  const sink = dataset.open(name);
  for (const line of lines) await sink.write(line);
  await sink.close();
}

async function writeBatch(files: OpenFiles, batch: readonly SimEvent[]): Promise<void> {
  for (const event of batch) {
    const sink = event.type === 'record' ? files.sources.get(event.source) : files.truth;
    const pending = sink?.write(event.type === 'record' ? event.line : JSON.stringify(event.truth));
    if (pending !== undefined) await pending;
  }
}

/** One `send` per topic per batch, records in arrival order within each topic. */
async function sendBatch(
  sink: RecordSink,
  batch: readonly SimEvent[],
  prefix: string | undefined,
): Promise<void> {
  const byTopic = new Map<string, KeyedRecord[]>();
  for (const event of batch) {
    if (event.type !== 'record') continue;
    const topic = topicOf(event.source, prefix);
    const list = byTopic.get(topic) ?? [];
    list.push({ key: event.key, value: event.line });
    byTopic.set(topic, list);
  }
  for (const [topic, records] of byTopic) await sink.send(topic, records);
}

function buildManifest(simulation: Simulation, prefix: string | undefined): Manifest {
  const sources = Object.fromEntries(simulation.sources.map((s) => [s, `${s}.ndjson`]));
  return {
    generator: '@weft/simulator',
    formatVersion: 1,
    options: simulation.options,
    files: {
      sources,
      truth: 'truth.ndjson',
      dimensions: Object.fromEntries(
        simulation.dimensions.map((d) => [d.name, `${d.name}.ndjson`]),
      ),
    },
    topics: Object.fromEntries(simulation.sources.map((s) => [s, topicOf(s, prefix)])),
    dimensionRows: Object.fromEntries(simulation.dimensions.map((d) => [d.name, d.rows.length])),
    counts: simulation.counts,
  };
}
