/** Base class of every error thrown by @weft/correlator. */
export class CorrelatorError extends Error {
  override name: string = 'CorrelatorError';
}

/** A command-line usage or input error: printed without a stack trace, exit code 2. */
export class UsageError extends CorrelatorError {
  override name = 'UsageError' as const;
}

/** A Kafka operation failed after the client's own retries. */
export class KafkaClientError extends CorrelatorError {
  override name = 'KafkaClientError' as const;
}

/** An input source (file, directory, stdin, topic) cannot be read. */
export class SourceError extends CorrelatorError {
  override name = 'SourceError' as const;
}

/** The message of any thrown value, for wrapping it in an error that says what to do. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
