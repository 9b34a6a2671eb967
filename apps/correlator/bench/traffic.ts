// Synthetic in-app-purchase traffic in the raw shapes of packages/templates/examples/in-app-purchase.json,
// produced to Kafka with the event time of each record = the wall time it is sent (live traffic).
import type { KafkaProducer, OutgoingMessage } from '../src/kafka/index.js';

export const SOURCES = [
  'client_order',
  'pay_page',
  'receipt',
  'pay_done',
  'channel_callback',
  'delivery',
] as const;
export const RECORDS_PER_ORDER = SOURCES.length;
/** `pay_done` is the last baseline step: the record that completes a session (it fires `complete`). */
const COMPLETING = 3;

/** The raw record of step `step` of order `id` at event time `at`. */
export function rawRecord(
  step: number,
  id: string,
  at: number,
): { source: string; key: string; value: string } {
  const trans = `T${id}`;
  const role = `R${id.length}${id.slice(-3)}`;
  switch (SOURCES[step]) {
    case 'client_order':
      return {
        source: 'client_order',
        key: id,
        value: JSON.stringify({
          ts: at,
          event: 'order_create',
          order_id: id,
          role_id: role,
          item_id: 'I10001',
          amount_cents: 600,
          currency: 'CNY',
          channel: 'wechat',
          region: 'cn-east',
          client: { os: 'ios', ver: '3.2.1' },
        }),
      };
    case 'pay_page':
      return {
        source: 'pay_page',
        key: id,
        value: JSON.stringify({
          time: new Date(at).toISOString(),
          orderId: id,
          page: 'pay',
          channel: 'wechat',
          ip: '10.4.0.1',
        }),
      };
    case 'receipt':
      return {
        source: 'receipt',
        key: id,
        value: JSON.stringify({
          t: Math.floor(at / 1_000),
          order: id,
          receipt: { id: `RC${id}`, verify: 'ok' },
        }),
      };
    case 'pay_done':
      return {
        source: 'pay_done',
        key: id,
        value: JSON.stringify({
          event_time_ms: at,
          order_id: id,
          trans_id: trans,
          status: 'SUCCESS',
          amount: '6.00',
        }),
      };
    case 'channel_callback':
      return {
        source: 'channel_callback',
        key: trans,
        value: JSON.stringify({
          notify_time: new Date(at).toISOString(),
          trans_id: trans,
          trade_status: 'TRADE_SUCCESS',
          total_fee: '6.00',
        }),
      };
    default:
      return {
        source: 'delivery',
        key: id,
        value: JSON.stringify({
          log_time: at,
          role: { id: role },
          bill_no: id,
          item: 'I10001',
          qty: 1,
        }),
      };
  }
}

export interface Produced {
  records: number;
  /** Business key → wall time the send of its completing record started. */
  completedAt: Map<string, number>;
}

/**
 * Sends `orders` orders, record by record in order, at `recordsPerSecond`
 * (unpaced when null): a batch every 10 ms per topic, as a paced producer would.
 * Aborting `signal` stops it after the batch in flight (a soak's deadline).
 */
export async function produceOrders(options: {
  producer: KafkaProducer;
  prefix: string;
  runId: string;
  orders: number;
  recordsPerSecond: number | null;
  produced: Produced;
  signal?: AbortSignal;
}): Promise<void> {
  const { producer, produced } = options;
  const stopped = (): boolean => options.signal?.aborted === true;
  const total = options.orders * RECORDS_PER_ORDER;
  const started = Date.now();
  const perTick =
    options.recordsPerSecond === null
      ? 5_000
      : Math.max(1, Math.round(options.recordsPerSecond / 100));
  for (let next = 0; next < total && !stopped();) {
    if (options.recordsPerSecond !== null) {
      const due = started + (next / options.recordsPerSecond) * 1_000;
      const wait = due - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      if (stopped()) break;
    }
    const at = Date.now();
    const byTopic = new Map<string, OutgoingMessage[]>();
    const end = Math.min(total, next + perTick);
    for (; next < end; next += 1) {
      const order = Math.floor(next / RECORDS_PER_ORDER);
      const step = next % RECORDS_PER_ORDER;
      const id = `O${options.runId}${String(order).padStart(7, '0')}`;
      const record = rawRecord(step, id, at);
      const topic = `${options.prefix}${record.source}`;
      const batch = byTopic.get(topic) ?? [];
      batch.push({ key: record.key, value: record.value, timestamp: at });
      byTopic.set(topic, batch);
      if (step === COMPLETING) produced.completedAt.set(id, at);
    }
    await Promise.all([...byTopic].map(([topic, messages]) => producer.send(topic, messages)));
    produced.records = next;
  }
}
