export type {
  BatchHandler,
  ConsumedBatch,
  ConsumedMessage,
  ConsumerOptions,
  FetchProgress,
  GroupMember,
  KafkaAdmin,
  KafkaClient,
  KafkaConsumer,
  KafkaHeaders,
  KafkaLogSink,
  KafkaProducer,
  OffsetCommit,
  OutgoingMessage,
  PartitionOffset,
  SubscribeOptions,
  TopicPartitionList,
  TopicPartitions,
  TopicSpec,
} from './kafka-client.js';
export { parsePartitionKey, partitionKey } from './partition-key.js';
export { createInProcessKafka } from './in-process-kafka.js';
export type { InProcessKafka, InProcessKafkaOptions } from './in-process-kafka.js';
export { createKafkajsClient } from './kafkajs-client.js';
export type { KafkajsClientOptions } from './kafkajs-client.js';
