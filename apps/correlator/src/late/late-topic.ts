import { LateRecordSchema } from '@weft/templates';
import type { LateRecord } from '@weft/templates';
import type { KafkaProducer } from '../kafka/index.js';
import type { Sink } from '../pipeline/index.js';

/**
 * The Kafka late side queue: a sink that sends the job's late records to
 * `topic` (acks = all) before the rest of the batch goes to `inner`, so a
 * batch is durable only once both are. Replays send a record again; the
 * reprocessor is idempotent for a record already applied.
 *
 * @example const sink = withLateTopic(createStoreSink(store), producer, 'weft.late');
 */
export function withLateTopic(inner: Sink, producer: KafkaProducer, topic: string): Sink {
  return {
    async write(batch) {
      if (batch.late.length > 0) {
        await producer.send(
          topic,
          batch.late.map((late) => ({
            key: `${late.templateId}/${late.node}/${late.record.recordId}`,
            value: JSON.stringify(late),
          })),
        );
      }
      await inner.write(batch.late.length > 0 ? { ...batch, late: [] } : batch);
    },
  };
}

/** A late side queue message, validated; the reason when it is not one. */
export function parseLateMessage(
  text: string,
): { ok: true; late: LateRecord } | { ok: false; reason: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: `invalid_json: ${(error as Error).message}` };
  }
  const parsed = LateRecordSchema.safeParse(json);
  if (parsed.success) return { ok: true, late: parsed.data };
  const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
  return { ok: false, reason: `not_a_late_record: ${issues.join('; ')}` };
}
