import { partitionKey } from '../kafka/index.js';
import type { KafkaAdmin, OffsetCommit } from '../kafka/index.js';
import type { Logger } from '../logging.js';

export interface LagPollerOptions {
  admin: Pick<KafkaAdmin, 'connect' | 'fetchTopicEndOffsets' | 'disconnect'>;
  topics: readonly string[];
  /** What the job has processed: the next offset to read, per partition. */
  consumed: () => readonly OffsetCommit[];
  /** Receives the lag of every partition the job has read from. */
  report: (topic: string, partition: number, lag: number) => void;
  intervalMs: number;
  logger: Logger;
}

/**
 * Refreshes the consumer lag from the brokers' end offsets on a timer. The
 * fetch path alone cannot: while backpressure pauses the topics (a slow or
 * down store) the consumer fetches nothing, so a lag taken at fetch time would
 * freeze exactly when it matters. Lag is end offset minus the next offset the
 * job has to process, so it also counts what waits inside the process.
 * Partitions the job has not read from yet are not reported. A failed fetch
 * (the broker is down) is logged at debug and retried on the next tick.
 */
export function startLagPoller(options: LagPollerOptions): { stop: () => Promise<void> } {
  let connected: Promise<void> | undefined;
  let polling = false;
  let stopped = false;

  const poll = async (): Promise<void> => {
    connected ??= options.admin.connect();
    await connected;
    const next = new Map(
      options.consumed().map((o) => [partitionKey(o.topic, o.partition), BigInt(o.nextOffset)]),
    );
    for (const topic of options.topics) {
      for (const { partition, offset } of await options.admin.fetchTopicEndOffsets(topic)) {
        const position = next.get(partitionKey(topic, partition));
        if (position === undefined) continue;
        const lag = BigInt(offset) - position;
        options.report(topic, partition, Number(lag > 0n ? lag : 0n));
      }
    }
  };

  const timer = setInterval(() => {
    if (polling || stopped) return;
    polling = true;
    poll()
      .catch((error: unknown) => {
        connected = undefined;
        options.logger.debug({ err: error }, 'refreshing the consumer lag failed; retrying');
      })
      .finally(() => {
        polling = false;
      });
  }, options.intervalMs);

  return {
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      if (connected !== undefined) {
        await connected.then(() => options.admin.disconnect()).catch(() => undefined);
      }
    },
  };
}
