export type { Sink, SinkBatch, SinkItem } from './sink.js';
export { toBatch, batchSize } from './sink.js';
export { BatchingWriter, WriterStoppedError } from './batching-writer.js';
export type { BatchingWriterOptions, WriterObserver } from './batching-writer.js';
export { OffsetTracker, OffsetTrackingError } from './offset-tracker.js';
export { startOffsetCommitter } from './offset-committer.js';
export type { OffsetCommitterOptions } from './offset-committer.js';
export { createStoreSink } from './store-sink.js';
export type { SinkStore } from './store-sink.js';
