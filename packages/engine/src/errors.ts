/** Base class of every error thrown by @weft/engine; catch this to handle them all. */
export class EngineError extends Error {
  override name: string = 'EngineError';
}

/** An operator was configured with values that cannot work (bounds, gaps, timeouts). */
export class InvalidOperatorConfigError extends EngineError {
  override name = 'InvalidOperatorConfigError' as const;
}

/** A conformance scenario file is malformed; the message lists every problem with its path. */
export class ScenarioError extends EngineError {
  override name = 'ScenarioError' as const;
}

/** An internal invariant broke: a bug in the engine, never a user error. */
export class EngineInvariantError extends EngineError {
  override name = 'EngineInvariantError' as const;
}

/** A snapshot is not a snapshot this engine can read (unknown format, wrong shape, broken references). */
export class SnapshotFormatError extends EngineError {
  override name = 'SnapshotFormatError' as const;
}

/** A valid snapshot was taken from something else (another template version, other partitions). */
export class SnapshotMismatchError extends EngineError {
  override name = 'SnapshotMismatchError' as const;
}

/** A snapshot was requested while the job was in the middle of a call (from inside `emit`). */
export class SnapshotInCallbackError extends EngineError {
  override name = 'SnapshotInCallbackError' as const;
}
