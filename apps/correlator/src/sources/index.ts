export type { RawInput } from './raw-input.js';
export { decodeInput } from './decode.js';
export type { DecodeContext, DecodeFailureCode, DecodeLimits, DecodeResult } from './decode.js';
export {
  openNdjsonDirectory,
  openNdjsonPaths,
  dimensionFiles,
  readNdjsonFile,
  readNdjsonStream,
} from './ndjson-source.js';
export type { DirectoryInputs, NdjsonOptions } from './ndjson-source.js';
export { createKafkaSource, batchToInputs } from './kafka-source.js';
export type { KafkaSource, KafkaSourceOptions } from './kafka-source.js';
export { BoundedQueue } from './bounded-queue.js';
export { offsetsAtTime, openKafkaHistory } from './kafka-history.js';
export type { HistoryRange, KafkaHistory, KafkaHistoryOptions } from './kafka-history.js';
export type { BoundedQueueOptions } from './bounded-queue.js';
