import type { KafkaConsumer, OffsetCommit } from '../kafka/index.js';
import type { Logger } from '../logging.js';
import type { BatchingWriter } from '../pipeline/index.js';
import { partitionKey } from '../kafka/index.js';
import type { LiveJob } from './live-job.js';

/** Per topic-partition, the next offset to read: what the job has consumed. */
export class ConsumedOffsets {
  private readonly next = new Map<string, OffsetCommit>();

  constructor(start: Iterable<OffsetCommit>) {
    for (const o of start) this.next.set(partitionKey(o.topic, o.partition), { ...o });
  }

  /** The record at `offset` of `topic[partition]` was processed. */
  consumed(topic: string, partition: number, offset: string): void {
    const nextOffset = (BigInt(offset) + 1n).toString();
    this.next.set(partitionKey(topic, partition), { topic, partition, nextOffset });
  }

  list(): OffsetCommit[] {
    return [...this.next.values()].map((o) => ({ ...o }));
  }
}

export interface CheckpointerOptions {
  job: LiveJob;
  offsets: ConsumedOffsets;
  writer: Pick<BatchingWriter, 'flush'>;
  consumer: Pick<KafkaConsumer, 'commit'>;
  save: (job: LiveJob, offsets: readonly OffsetCommit[]) => Promise<void>;
  /** Stops (false) and resumes (true) feeding the job. */
  setFeeding: (feeding: boolean) => void;
  /** After feeding stopped: waits until other work on the state (the late reprocessor) is paused. */
  quiesce?: () => Promise<void>;
  logger: Logger;
}

/**
 * Takes checkpoints one at a time: stop feeding the job, flush the writer
 * until the store acknowledged everything, save the job and watermark state
 * with the consumed offsets, commit those offsets to Kafka, resume. A failed
 * interval checkpoint is logged and retried by the next one; a failed
 * shutdown checkpoint is thrown.
 *
 * @example const checkpoints = createCheckpointer({ job, offsets, writer, consumer, save, setFeeding, logger });
 * await checkpoints.take('shutdown');
 */
export function createCheckpointer(options: CheckpointerOptions) {
  const { logger } = options;
  let running: Promise<void> | undefined;
  const once = async (why: 'interval' | 'shutdown'): Promise<void> => {
    options.setFeeding(false);
    try {
      if (options.quiesce !== undefined) await options.quiesce();
      await options.writer.flush();
      const commits = options.offsets.list();
      await options.save(options.job, commits);
      try {
        await options.consumer.commit(commits);
      } catch (error) {
        // Harmless: the checkpoint holds the offsets and a restart seeks to them.
        logger.warn({ err: error }, 'committing checkpointed offsets to Kafka failed');
      }
      logger.debug({ why, partitions: commits.length }, 'checkpoint taken');
    } catch (error) {
      logger.error({ err: error, why }, 'checkpoint failed; the next one retries');
      if (why === 'shutdown') throw error;
    } finally {
      options.setFeeding(true);
      running = undefined;
    }
  };
  return {
    /** True while a checkpoint is being taken (the job must not be touched). */
    get inProgress(): boolean {
      return running !== undefined;
    },
    /** A shutdown checkpoint waits for one in progress, then takes its own (and throws if it fails). */
    async take(why: 'interval' | 'shutdown'): Promise<void> {
      if (why === 'shutdown') {
        await running;
        running = once(why);
      } else {
        running ??= once(why);
      }
      return running;
    },
  };
}
