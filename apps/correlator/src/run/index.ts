export type { CorrelationJob, InputRecord } from './correlation-job.js';
export { runBounded, interleave } from './bounded-run.js';
export type { BoundedRunOptions, RunSummary } from './bounded-run.js';
export { countOutputs, reasonCode, writerMetrics } from './observe.js';
export { createEngineJob, toSinkItem } from './engine-job.js';
export type { JobFactory } from './engine-job.js';
export { emptySummary, finalize, tally } from './run-summary.js';
export type { Tally } from './run-summary.js';
