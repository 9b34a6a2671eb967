export {
  EngineError,
  EngineInvariantError,
  InvalidOperatorConfigError,
  ScenarioError,
  SnapshotFormatError,
  SnapshotInCallbackError,
  SnapshotMismatchError,
} from './errors.js';
export { TimeWindow } from './time/time-window.js';
export { sessionWindows } from './windowing/session-window-assigner.js';
export type { SessionWindowAssigner, MergePlan } from './windowing/session-window-assigner.js';
export { isFire, isPurge, sumState, flagState } from './windowing/trigger.js';
export type {
  Trigger,
  TriggerContext,
  OnMergeContext,
  TriggerResult,
  StateDescriptor,
} from './windowing/trigger.js';
export { eventTimeTrigger } from './windowing/triggers/event-time-trigger.js';
export { countTrigger } from './windowing/triggers/count-trigger.js';
export { purgingTrigger } from './windowing/triggers/purging-trigger.js';
export { sessionTrigger, countCompleteness } from './windowing/triggers/session-trigger.js';
export type { Completeness, SessionTriggerOptions } from './windowing/triggers/session-trigger.js';
export { isWindowLate, cleanupTime } from './windowing/lateness.js';
export { WindowOperator } from './windowing/window-operator.js';
export type {
  WindowAggregate,
  WindowFiring,
  WindowRetraction,
  WindowOperatorOutput,
  WindowOperatorOptions,
  FireCause,
} from './windowing/window-operator.js';
export { IntervalJoinOperator } from './join/interval-join-operator.js';
export type { IntervalJoinOutput, JoinSide } from './join/interval-join-operator.js';
export { closeBounds, withinBounds } from './join/interval-bounds.js';
export type { IntervalJoinBounds, ClosedBounds } from './join/interval-bounds.js';
export { CombinedWatermark, WATERMARK_SNAPSHOT_FORMAT } from './watermark/combined-watermark.js';
export type { WatermarkOptions, WatermarkSnapshot } from './watermark/combined-watermark.js';
export { runConformance, projectForExpect } from './conformance/run-conformance.js';
export type { ConformanceOutput } from './conformance/run-conformance.js';
export { parseScenario, ScenarioSchema } from './conformance/scenario-schema.js';
export type { Scenario } from './conformance/scenario-schema.js';
export { CorrelationJob, sessionIdFor, sessionStartOf } from './job/correlation-job.js';
export type { CorrelationJobOptions } from './job/correlation-job.js';
export { JOB_SNAPSHOT_FORMAT } from './job/job-snapshot.js';
export type { JobSnapshot, ElementSnapshot, TriggerStateSnapshot } from './job/job-snapshot.js';
export type { LiveSessionSnapshot } from './job/live-session.js';
export type {
  JobProfilesSnapshot,
  SessionProfileState,
  StepSnapshot,
} from './job/session-profiles.js';
export type { SupplementBufferSnapshot } from './job/supplement-buffer.js';
export type { WindowOperatorSnapshot } from './windowing/window-operator.js';
export type { WindowSlotSnapshot, WindowStateCodec } from './windowing/window-operator-snapshot.js';
export type { HeapSnapshot } from './time/timer-heap.js';
export type { EncodedTime } from './snapshot/snapshot-encoding.js';
export { latestSessions } from './job/job-events.js';
export type { JobEvent } from './job/job-events.js';
export { prepareRecord } from './job/unified-view.js';
export type { RawInput, RoutedRecord, Prepared } from './job/unified-view.js';
export type { Enricher } from './job/session-assembly.js';
export { recordId } from './job/record-id.js';
export { runBatch } from './job/batch.js';
export { reprocessLate } from './job/reprocess-late.js';
export type { StoredState, LateOutcome } from './job/reprocess-late.js';
export * from './profiles/index.js';
