import type { HealthChecks } from '../http/index.js';
import type { Logger } from '../logging.js';
import type { CorrelatorMetrics } from '../metrics.js';
import type { Sink, SinkItem } from '../pipeline/index.js';
import { decodeInput, openNdjsonPaths, readNdjsonStream } from '../sources/index.js';
import type { DecodeLimits, DirectoryInputs, RawInput } from '../sources/index.js';
import type { Readable } from 'node:stream';
import { CorrelatorError, UsageError } from '../errors.js';
import type { CorrelationJob } from './correlation-job.js';
import { createGate } from './gate.js';
import { countOutputs } from './observe.js';
import { createObservedWriter } from './observed-writer.js';
import { emptySummary, finalize, tally } from './run-summary.js';

export interface BoundedRunOptions {
  /** Directories holding `<source>.ndjson` per template source, or such files. */
  paths: readonly string[];
  /** The template's dimension tables: `<table>.ndjson` inputs are theirs (enrichment), not records. */
  dimensionTables?: readonly string[];
  /** The records of one template source as NDJSON on a stream (`--stdin SOURCE`); origin file `-`. */
  stdin?: { source: string; stream: Readable };
  /**
   * Inputs of every source from elsewhere (a bounded Kafka read, `openKafkaHistory`),
   * instead of `paths`, which must then be empty.
   */
  history?: AsyncIterable<RawInput>;
  /** Called with every input as it is read (progress). */
  onRead?: (input: RawInput) => void;
  job: CorrelationJob;
  sink: Sink;
  sinkOptions: { batchMaxRecords: number; batchMaxDelayMs: number; maxQueued: number };
  limits: DecodeLimits;
  metrics: CorrelatorMetrics;
  logger: Logger;
  /** The wall clock (processing time); injected for tests. */
  now: () => number;
  /** When given, a `sink` readiness check fails while store writes are failing. */
  health?: HealthChecks;
  /**
   * Aborting it (SIGINT/SIGTERM) stops the run: what was stored stays, and a
   * re-run stores the whole result again (the same sessions, in a newer epoch).
   */
  signal?: AbortSignal;
}

/** A bounded run was stopped by a signal before its end. */
export class InterruptedError extends CorrelatorError {
  override name = 'InterruptedError' as const;
}

/** What a bounded run did, printed by `weft correlate` and returned to tests. */
export interface RunSummary {
  templateId: string;
  /** Raw inputs read per source. */
  inputs: Record<string, number>;
  /** Dead letters per reason code (decoding and extraction). */
  deadLetters: Record<string, number>;
  /** Distinct sessions emitted, and how many versions of them. */
  sessions: number;
  sessionVersions: number;
  retractions: number;
  orphans: number;
  late: number;
  /** Template sources without an input file. */
  missingSources: string[];
  /** `*.ndjson` files that match no template source nor dimension table (ignored). */
  unknownFiles: string[];
  /** Distinct keys an enrichment lookup found no row for, per lookup id (absent: none). */
  enrichmentMisses?: Record<string, number>;
}

/**
 * `weft correlate --input DIR`: reads every source file to its end, decodes
 * (bad inputs become dead letters), runs the job in event time, ends with the
 * final watermark, and returns once everything is durable in the sink. The
 * reader waits while the sink applies backpressure, so memory stays bounded
 * whatever the input size.
 *
 * @example
 * const summary = await runBounded({ paths: ['data/'], job, sink: createStoreSink(store), ... });
 */
export async function runBounded(options: BoundedRunOptions): Promise<RunSummary> {
  const { job, metrics, logger, now } = options;
  const gate = createGate();
  const { writer } = createObservedWriter({
    ...options,
    onBackpressure: (paused) => gate.set(!paused),
  });
  const ndjson = { maxLineBytes: options.limits.maxBytes };
  const opened: DirectoryInputs =
    options.history === undefined
      ? await openNdjsonPaths(options.paths, job.sources, ndjson, options.dimensionTables)
      : {
          streams: [{ source: '', path: 'kafka', inputs: options.history }],
          missing: [],
          unknown: [],
        };
  if (options.stdin !== undefined) {
    const { source, stream } = options.stdin;
    if (!job.sources.includes(source)) {
      throw new UsageError(
        `--stdin ${source} is not an event source of template ${job.templateId}; its sources are ${job.sources.join(', ')}`,
      );
    }
    opened.streams.push({
      source,
      path: '-',
      inputs: readNdjsonStream(stream, source, '-', ndjson),
    });
    opened.missing = opened.missing.filter((id) => id !== source);
  }
  if (opened.missing.length > 0) {
    logger.warn(
      { missing: opened.missing, input: options.paths },
      'template sources without an input file',
    );
  }
  if (opened.unknown.length > 0) {
    logger.warn(
      { unknown: opened.unknown, input: options.paths },
      'input files that match no template source nor dimension table are ignored',
    );
  }
  const summary = emptySummary(job.templateId, opened.missing, opened.unknown);
  const emit = (items: readonly SinkItem[]): void => {
    if (items.length === 0) return;
    countOutputs(metrics, items);
    tally(summary, items);
    // Failures surface from writer.close(); here only keep them from being unhandled.
    writer.enqueue(items).catch(() => undefined);
  };

  const onAbort = (): void => {
    writer.stop();
    gate.set(true);
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const interrupted = (): void => {
    if (options.signal?.aborted) {
      throw new InterruptedError(
        'interrupted by a signal: what was stored so far stays; running the same command again stores the whole result (the same sessions, in a newer epoch)',
      );
    }
  };
  for await (const input of interleave(opened.streams.map((stream) => stream.inputs))) {
    await gate.wait();
    interrupted();
    options.onRead?.(input);
    summary.inputs[input.source] = (summary.inputs[input.source] ?? 0) + 1;
    metrics.recordsIn.inc({ source: input.source });
    const decoded = decodeInput(input, { limits: options.limits, templateId: job.templateId, now });
    if (decoded.ok) {
      emit(job.push({ source: input.source, raw: decoded.text, origin: input.origin }, now()));
    } else {
      emit([{ kind: 'deadLetter', deadLetter: decoded.deadLetter }]);
    }
  }
  interrupted();
  emit(job.finish(now()));
  metrics.openSessions.set({ template: job.templateId }, job.openSessions());
  await writer.close();
  interrupted();
  options.signal?.removeEventListener('abort', onAbort);
  return finalize(summary);
}

/**
 * Round-robin over the sources, one input at a time, so that no source runs
 * far ahead of the others in a bounded run (each file is in event-time order
 * for its source, like a Kafka partition). Stopped early (an interrupted
 * run), it closes the streams not yet ended: files, or a Kafka read's consumer.
 */
export async function* interleave(
  streams: readonly AsyncIterable<RawInput>[],
): AsyncGenerator<RawInput> {
  const iterators = streams.map((stream) => stream[Symbol.asyncIterator]());
  try {
    while (iterators.length > 0) {
      for (let i = 0; i < iterators.length;) {
        const next = await (iterators[i] as AsyncIterator<RawInput>).next();
        if (next.done) {
          iterators.splice(i, 1);
          continue;
        }
        yield next.value;
        i += 1;
      }
    }
  } finally {
    await Promise.all(iterators.map((iterator) => iterator.return?.()));
  }
}
