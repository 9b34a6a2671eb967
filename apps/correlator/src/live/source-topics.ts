import type { KafkaAdmin } from '../kafka/index.js';
import { SourceError, messageOf } from '../errors.js';
import type { TopicPartition } from './live-watermark.js';

/** Topic → template source id, for `<prefix><source id>`. */
export function sourceTopics(sourceIds: readonly string[], prefix: string): Map<string, string> {
  return new Map(sourceIds.map((id) => [`${prefix}${id}`, id]));
}

/**
 * Every partition of every source topic, in topic then partition order. A
 * missing topic stops the start, as Kafka Streams does: a consumer subscribed
 * to it would wait silently, and creating it here would guess its partitions.
 *
 * @example await listPartitions(admin, ['weft.src.pay_done']) // [{ topic: 'weft.src.pay_done', partition: 0 }, …]
 */
export async function listPartitions(
  admin: Pick<KafkaAdmin, 'fetchTopicEndOffsets'>,
  topics: readonly string[],
): Promise<TopicPartition[]> {
  const all: TopicPartition[] = [];
  for (const topic of topics) {
    let ends;
    try {
      ends = await admin.fetchTopicEndOffsets(topic);
    } catch (error) {
      throw new SourceError(
        `cannot read the partitions of source topic '${topic}': ${messageOf(error)}. ` +
          'Create the topic (e.g. `weft simulate --kafka BROKERS` creates its topics) or fix --topic-prefix.',
        { cause: error },
      );
    }
    const partitions = ends.map((end) => end.partition).sort((a, b) => a - b);
    if (partitions.length === 0) {
      throw new SourceError(`source topic '${topic}' has no partitions.`);
    }
    for (const partition of partitions) all.push({ topic, partition });
  }
  return all;
}
