export {
  InvalidFaultSpecError,
  InvalidInputError,
  InvalidOptionError,
  SimulatorError,
} from './errors.js';
export { fileDatasetSink } from './file-sink.js';
export type { DimensionTable, FaultSpec, PatternTag, SourceSpec, TimeEncoding } from './model.js';
export { IN_APP_PATTERN_CONCLUSIONS } from './scenarios/in-app-purchase.js';
export { DEFAULT_START, resolveOptions, scenarioById } from './options.js';
export type { ResolvedOptions, SimulateOptions } from './options.js';
export { paced } from './pacing.js';
export type { Pacing } from './pacing.js';
export { runSimulation } from './run.js';
export type { Manifest, RunTargets } from './run.js';
export { scenarioIds } from './scenarios/index.js';
export { formatScoreReport } from './score/format.js';
export type { ConfusionMatrix, PairwiseScore, PatternScore, ScoreReport } from './score/report.js';
export { scoreSessions } from './score/score.js';
export { createSimulation, RecordEvent } from './simulation.js';
export type { SimEvent, Simulation, SimulationCounts, TruthEvent } from './simulation.js';
export { DEFAULT_TOPIC_PREFIX, topicOf } from './sinks.js';
export type { DatasetSink, KeyedRecord, LineSink, RecordSink } from './sinks.js';
export { parseTruthLines, PatternTagSchema, TruthSessionSchema } from './truth.js';
export type { ExpectedSession, PatternTagTruth, TruthSession } from './truth.js';
export { HOSTILE_CATEGORIES, hostileRecords } from './hostile.js';
export type { HostileCategory, HostileOptions, HostileRecord } from './hostile.js';
