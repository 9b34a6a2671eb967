/**
 * Where simulated output goes. The simulator writes only through these
 * interfaces: files come from `fileDatasetSink`, Kafka from the correlator's
 * kafkajs adapter, tests from in-memory fakes.
 */

/** One line-oriented output (an NDJSON file). */
export interface LineSink {
  /** Appends one line (no newline). Returns a promise only when the caller must wait (backpressure). */
  write(line: string): Promise<void> | undefined;
  close(): Promise<void>;
}

/** A folder of named outputs: `<source>.ndjson`, `truth.ndjson`, `manifest.json`, dimension tables. */
export interface DatasetSink {
  open(name: string): LineSink;
}

/** A message for a topic: the key its system knows it by and the raw line. */
export interface KeyedRecord {
  readonly key: string | null;
  readonly value: string;
}

/** A message bus (Kafka): the correlator provides the kafkajs implementation. */
export interface RecordSink {
  send(topic: string, records: KeyedRecord[]): Promise<void>;
}

/** The topic prefix of docs/scenarios.md. */
export const DEFAULT_TOPIC_PREFIX = 'weft.src.';

/** Kafka topic of a source (docs/scenarios.md): `weft.src.<source id>`. */
export function topicOf(source: string, prefix = DEFAULT_TOPIC_PREFIX): string {
  return `${prefix}${source}`;
}
