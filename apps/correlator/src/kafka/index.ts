export type {
  BatchHandler,
  ConsumedBatch,
  ConsumedMessage,
  ConsumerOptions,
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
export { createKafkajsClient } from './kafkajs-client.js';
export type { KafkajsClientOptions } from './kafkajs-client.js';
