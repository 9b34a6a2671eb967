import type { RecordOrigin } from '@weft/templates';

/**
 * One input exactly as read, before decoding: the bytes of one NDJSON line or
 * one Kafka message value, the template source it belongs to, and where it
 * came from (`{file, line}` or `{topic, partition, offset}`).
 */
export interface RawInput {
  source: string;
  bytes: Buffer;
  origin: RecordOrigin;
  /** Set when the input was longer than the read cap: `bytes` then holds only its first bytes. */
  oversized?: { totalBytes: number };
  /** Kafka record timestamp (epoch ms), when the input came from Kafka. */
  timestamp?: number;
}
