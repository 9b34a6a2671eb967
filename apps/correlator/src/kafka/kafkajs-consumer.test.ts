import { EventEmitter } from 'node:events';
import * as kafkajs from 'kafkajs';
import type { Kafka } from 'kafkajs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createKafkajsConsumer, isBrokerOutage } from './kafkajs-consumer.js';

/**
 * A stand-in for a kafkajs consumer that records calls and lets the test
 * emit its instrumentation events. It models what kafkajs does around a
 * crash it does not restart from: the consumer is already disconnected, and
 * `run` may be called again after `connect`.
 */
function fakeKafka() {
  const emitter = new EventEmitter();
  const calls: string[] = [];
  const events = {
    GROUP_JOIN: 'consumer.group_join',
    CRASH: 'consumer.crash',
    HEARTBEAT: 'consumer.heartbeat',
    END_BATCH_PROCESS: 'consumer.end_batch_process',
  };
  const consumer = {
    events,
    on: (name: string, listener: (event: unknown) => void) => emitter.on(name, listener),
    logger: () => ({ warn: (message: string) => calls.push(`warn ${message}`) }),
    connect: vi.fn(async () => void calls.push('connect')),
    disconnect: vi.fn(async () => void calls.push('disconnect')),
    subscribe: vi.fn(async () => undefined),
    run: vi.fn(async () => void calls.push('run')),
    pause: vi.fn(),
    resume: vi.fn(),
  };
  const kafka = { consumer: () => consumer } as unknown as Kafka;
  const crash = (error: Error, restart = false) =>
    emitter.emit(events.CRASH, { payload: { error, restart, groupId: 'g' } });
  const join = () => emitter.emit(events.GROUP_JOIN, { payload: { memberAssignment: { t: [0] } } });
  const endBatch = (payload: Record<string, unknown>) =>
    emitter.emit(events.END_BATCH_PROCESS, { payload });
  return { kafka, consumer, calls, crash, join, endBatch };
}

/** kafkajs's error classes as its runtime builds them (its typings omit the `cause` option). */
type ErrorClass = new (e: unknown, options?: { cause?: unknown }) => Error;
const KafkaJSConnectionError = kafkajs.KafkaJSConnectionError as unknown as ErrorClass;
const KafkaJSGroupCoordinatorNotFound =
  kafkajs.KafkaJSGroupCoordinatorNotFound as unknown as ErrorClass;
const KafkaJSNonRetriableError = kafkajs.KafkaJSNonRetriableError as unknown as ErrorClass;
const KafkaJSProtocolError = kafkajs.KafkaJSProtocolError as unknown as ErrorClass;

/** What kafkajs throws when no broker can name the group's coordinator (tulios/kafkajs#1630). */
function coordinatorNotFound(): Error {
  const cause = new KafkaJSGroupCoordinatorNotFound('Failed to find group coordinator');
  return new KafkaJSNonRetriableError(cause, { cause });
}

describe('isBrokerOutage', () => {
  it('recognises kafkajs errors that mean no broker answered, also when wrapped', () => {
    expect(isBrokerOutage(coordinatorNotFound())).toBe(true);
    expect(isBrokerOutage(new KafkaJSConnectionError('Connection error: ECONNREFUSED'))).toBe(true);
    expect(isBrokerOutage(new KafkaJSNonRetriableError('Failed to find group coordinator'))).toBe(
      true,
    );
  });

  it('does not take authorization or configuration errors for an outage', () => {
    const denied = new KafkaJSProtocolError({
      message: 'Not authorized to access group',
      type: 'GROUP_AUTHORIZATION_FAILED',
      code: 30,
      retriable: false,
    });
    expect(isBrokerOutage(new KafkaJSNonRetriableError(denied, { cause: denied }))).toBe(false);
    expect(isBrokerOutage(new Error('Cannot subscribe to topic while consumer is running'))).toBe(
      false,
    );
    expect(isBrokerOutage('Failed to find group coordinator')).toBe(false);
  });
});

describe('the kafkajs consumer after a crash kafkajs does not restart from', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('restarts itself after a broker outage, with a growing delay, and never reports it', async () => {
    const fake = fakeKafka();
    const consumer = createKafkajsConsumer(fake.kafka, { groupId: 'g' });
    const crashes: Error[] = [];
    consumer.onCrash((error) => crashes.push(error));
    await consumer.run(async () => undefined);
    expect(fake.consumer.run).toHaveBeenCalledTimes(1);
    const config = fake.consumer.run.mock.calls[0];

    fake.crash(coordinatorNotFound());
    await vi.advanceTimersByTimeAsync(999);
    expect(fake.consumer.connect).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(fake.consumer.connect).toHaveBeenCalledTimes(1);
    expect(fake.consumer.run).toHaveBeenCalledTimes(2);
    // The same handler and settings (no auto-commit) as the first run.
    expect(fake.consumer.run.mock.calls[1]).toEqual(config);

    // The broker is still down: the rejoin crashes again, the next delay doubles.
    fake.crash(coordinatorNotFound());
    await vi.advanceTimersByTimeAsync(1_999);
    expect(fake.consumer.run).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(fake.consumer.run).toHaveBeenCalledTimes(3);

    // Joined again: a later outage starts from the first delay.
    fake.join();
    fake.crash(coordinatorNotFound());
    await vi.advanceTimersByTimeAsync(1_000);
    expect(fake.consumer.run).toHaveBeenCalledTimes(4);
    expect(crashes).toEqual([]);
    const warnings = fake.calls.filter((c) => c.startsWith('warn'));
    expect(warnings).toHaveLength(3);
    expect(warnings[0]).toMatch(
      /Kafka unreachable \(Failed to find group coordinator\); restarting the consumer in 1000 ms/u,
    );
  });

  it('retries when reconnecting fails, and caps the delay', async () => {
    const fake = fakeKafka();
    fake.consumer.connect.mockRejectedValue(
      new KafkaJSConnectionError('Connection error: ECONNREFUSED'),
    );
    const consumer = createKafkajsConsumer(fake.kafka, { groupId: 'g' });
    await consumer.run(async () => undefined);
    fake.crash(coordinatorNotFound());
    await vi.advanceTimersByTimeAsync(1_000 + 2_000 + 4_000 + 8_000 + 16_000);
    expect(fake.consumer.connect).toHaveBeenCalledTimes(5);
    await vi.advanceTimersByTimeAsync(29_999);
    expect(fake.consumer.connect).toHaveBeenCalledTimes(5);
    await vi.advanceTimersByTimeAsync(1);
    expect(fake.consumer.connect).toHaveBeenCalledTimes(6);
    expect(fake.consumer.run).toHaveBeenCalledTimes(1);
  });

  it('reports a reconnect failure that is not an outage instead of retrying it', async () => {
    const fake = fakeKafka();
    const refused = new KafkaJSNonRetriableError('SASL authentication failed');
    fake.consumer.connect.mockRejectedValue(refused);
    const consumer = createKafkajsConsumer(fake.kafka, { groupId: 'g' });
    const crashes: Error[] = [];
    consumer.onCrash((error) => crashes.push(error));
    await consumer.run(async () => undefined);
    fake.crash(coordinatorNotFound());
    await vi.advanceTimersByTimeAsync(60_000);
    expect(fake.consumer.connect).toHaveBeenCalledTimes(1);
    expect(crashes).toEqual([refused]);
  });

  it('reports any other error, and leaves retriable crashes to kafkajs', async () => {
    const fake = fakeKafka();
    const consumer = createKafkajsConsumer(fake.kafka, { groupId: 'g' });
    const crashes: Error[] = [];
    consumer.onCrash((error) => crashes.push(error));
    await consumer.run(async () => undefined);
    fake.crash(new KafkaJSConnectionError('Connection error: ECONNREFUSED'), true);
    const denied = new KafkaJSNonRetriableError('Not authorized to access group');
    fake.crash(denied);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(crashes).toEqual([denied]);
    expect(fake.consumer.connect).not.toHaveBeenCalled();
  });

  it('does not restart once disconnected; a later outage crash is reported', async () => {
    const fake = fakeKafka();
    const consumer = createKafkajsConsumer(fake.kafka, { groupId: 'g' });
    const crashes: Error[] = [];
    consumer.onCrash((error) => crashes.push(error));
    await consumer.run(async () => undefined);
    fake.crash(coordinatorNotFound());
    await consumer.disconnect();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(fake.consumer.connect).not.toHaveBeenCalled();
    expect(fake.consumer.run).toHaveBeenCalledTimes(1);
    const late = coordinatorNotFound();
    fake.crash(late);
    expect(crashes).toEqual([late]);
  });

  it('disconnects again when disconnect was called while it reconnected', async () => {
    const fake = fakeKafka();
    let connected!: () => void;
    fake.consumer.connect.mockImplementation(
      () =>
        new Promise<undefined>((resolve) => {
          connected = () => resolve(undefined);
        }),
    );
    const consumer = createKafkajsConsumer(fake.kafka, { groupId: 'g' });
    await consumer.run(async () => undefined);
    fake.crash(coordinatorNotFound());
    await vi.advanceTimersByTimeAsync(1_000);
    expect(fake.consumer.connect).toHaveBeenCalledTimes(1);
    const disconnecting = consumer.disconnect();
    connected();
    await disconnecting;
    await vi.advanceTimersByTimeAsync(0);
    expect(fake.consumer.run).toHaveBeenCalledTimes(1);
    expect(fake.consumer.disconnect).toHaveBeenCalledTimes(2);
  });
});

describe('createKafkajsConsumer progress', () => {
  /** A kafkajs eachBatch payload: records 0–2 of a transaction whose marker is offset 3. */
  const payload = (stale: boolean) => ({
    batch: {
      topic: 't',
      partition: 0,
      highWatermark: '4',
      messages: ['0', '1', '2'].map((offset) => ({
        offset,
        timestamp: '1764000000000',
        key: null,
        value: Buffer.from('{}'),
        headers: {},
      })),
      lastOffset: () => '3',
    },
    heartbeat: async () => undefined,
    isStale: () => stale,
  });

  it('reports the next offset past a trailing marker after a handled batch, and nothing for a stale one', async () => {
    const fake = fakeKafka();
    const consumer = createKafkajsConsumer(fake.kafka, { groupId: 'g' });
    const progress: unknown[] = [];
    consumer.onProgress?.((p) => progress.push(p));
    const handled: number[] = [];
    await consumer.run(async (batch) => void handled.push(batch.messages.length));
    const config = fake.consumer.run.mock.calls[0] as unknown as [
      { eachBatch: (payload: unknown) => Promise<void> },
    ];
    await config[0].eachBatch(payload(true));
    expect(handled).toEqual([3]);
    expect(progress).toEqual([]);
    await config[0].eachBatch(payload(false));
    expect(progress).toEqual([{ topic: 't', partition: 0, nextOffset: '4', highWatermark: '4' }]);
    // kafkajs' end-of-batch event for a batch with records adds nothing: eachBatch reported it.
    fake.endBatch({ topic: 't', partition: 0, batchSize: 3, lastOffset: '3', highWatermark: '4' });
    expect(progress).toHaveLength(1);
  });

  it('reports a batch that filtering left empty (only a marker) from the end-of-batch event', async () => {
    const fake = fakeKafka();
    const consumer = createKafkajsConsumer(fake.kafka, { groupId: 'g' });
    const progress: unknown[] = [];
    consumer.onProgress?.((p) => progress.push(p));
    fake.endBatch({ topic: 't', partition: 1, batchSize: 0, lastOffset: '7', highWatermark: '8' });
    expect(progress).toEqual([{ topic: 't', partition: 1, nextOffset: '8', highWatermark: '8' }]);
  });
});
