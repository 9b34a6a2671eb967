/**
 * The key of one topic-partition in maps and sets: the topic and the
 * partition, NUL-separated (a topic name cannot contain NUL).
 *
 * @example partitionKey('weft.src.pay_done', 2) // 'weft.src.pay_done\u00002'
 */
export function partitionKey(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`;
}

/** The topic and partition of a {@link partitionKey}. */
export function parsePartitionKey(key: string): { topic: string; partition: number } {
  const at = key.lastIndexOf('\u0000');
  return { topic: key.slice(0, at), partition: Number(key.slice(at + 1)) };
}
