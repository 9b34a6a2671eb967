import type { KafkaConsumer } from '../kafka/index.js';
import type { OffsetTracker } from './offset-tracker.js';

export interface OffsetCommitterOptions {
  consumer: Pick<KafkaConsumer, 'commit'>;
  tracker: OffsetTracker;
  /** How often durable progress is committed. */
  intervalMs: number;
  /** A failed commit is retried at the next tick; this only reports it. */
  onError?: (error: unknown) => void;
}

/**
 * Periodically commits what the OffsetTracker says is durable. A failed
 * commit (typically during a rebalance) is harmless: the partition's next
 * owner replays from the previous commit and the upserts are idempotent.
 *
 * @example
 * const committer = startOffsetCommitter({ consumer, tracker, intervalMs: 1_000 });
 * await committer.stop(); // final commit on SIGTERM
 */
export function startOffsetCommitter(options: OffsetCommitterOptions) {
  let running: Promise<void> = Promise.resolve();
  const commitNow = (): Promise<void> => {
    running = running.then(async () => {
      const commits = options.tracker.committable();
      if (commits.length === 0) return;
      try {
        await options.consumer.commit(commits);
        options.tracker.committed(commits);
      } catch (error) {
        options.onError?.(error);
      }
    });
    return running;
  };
  const timer = setInterval(() => void commitNow(), options.intervalMs);
  return {
    commitNow,
    /** Stops the timer after one last commit. */
    async stop(): Promise<void> {
      clearInterval(timer);
      await commitNow();
    },
  };
}
