import type { Session } from '@weft/templates';

/** A small deterministic PRNG (mulberry32), so every run loads the same data. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const DAY = 86_400_000;
export const CHANNELS = ['app', 'web', 'mini', 'pos'];
export const REGIONS = ['north', 'south', 'east', 'west', 'central', 'overseas', 'hk', 'tw'];
export const MERCHANTS = 1000;
const DEVICES = ['ios', 'android', 'pc', 'mac', 'other'];
const METHODS = ['card', 'wallet', 'bank', 'credit', 'points'];

const fraud = {
  conclusion: 'fraud',
  label: 'Suspected fraud',
  severity: 'high' as const,
  explanation: 'refund soon after a large purchase',
  inputs: {},
};

/** In what order the benchmark's sessions start: as a live stream closes them, or shuffled over the range. */
export type LoadOrder = 'time' | 'random';

/**
 * The i-th of `total` benchmark sessions: ~20 fields, two nodes, start within
 * the `days` before `end` — in index order for `time` (a correlator emits
 * sessions roughly as they close), uniformly at random for `random` (the
 * worst case for rollups: every batch touches ~batch-size hour rows).
 */
export function benchSession(
  i: number,
  end: number,
  days: number,
  total: number,
  order: LoadOrder = 'time',
): Session {
  const rnd = random(i * 2654435761);
  const span = days * DAY;
  const offset = order === 'time' ? ((i + rnd()) / total) * span : rnd() * span;
  const start = Math.floor(end - span + offset);
  const amount = Math.round(Math.exp(3 + rnd() * 5) * 100) / 100;
  const orderId = `ORD${String(i).padStart(10, '0')}`;
  const isFraud = rnd() < 0.05;
  const fields = {
    orderId,
    userId: `U${Math.floor(rnd() * 5_000_000)}`,
    channel: CHANNELS[Math.floor(rnd() * CHANNELS.length)]!,
    region: REGIONS[Math.floor(rnd() * REGIONS.length)]!,
    device: DEVICES[Math.floor(rnd() * DEVICES.length)]!,
    merchant: `M${Math.floor(rnd() * MERCHANTS)}`,
    paymentMethod: METHODS[Math.floor(rnd() * METHODS.length)]!,
    amount,
    items: 1 + Math.floor(rnd() * 8),
    riskScore: Math.floor(rnd() * 100),
    latencyMs: Math.floor(rnd() * 3000),
    retries: Math.floor(rnd() * 3),
    vip: rnd() < 0.1,
    coupon: rnd() < 0.3 ? `C${Math.floor(rnd() * 500)}` : null,
    ip: `10.${Math.floor(rnd() * 255)}.${Math.floor(rnd() * 255)}.${Math.floor(rnd() * 255)}`,
    country: rnd() < 0.9 ? 'CN' : 'SG',
    sku: `SKU${Math.floor(rnd() * 20000)}`,
    refundAmount: isFraud ? amount : 0,
    appVersion: `8.${Math.floor(rnd() * 20)}.0`,
    payDelayMs: Math.floor(rnd() * 60_000),
  };
  return {
    sessionId: `S${i}`,
    templateId: 'bench-order',
    templateVersion: 1,
    businessKey: orderId,
    version: 1,
    status: 'closed',
    fireReason: 'complete',
    start,
    end: start + fields.payDelayMs,
    nodes: [
      {
        node: 'create',
        kind: 'baseline',
        records: [
          {
            recordId: `c-${i}`,
            source: 'orders',
            eventTime: start,
            raw: { orderId, amount, userId: fields.userId },
            fields: { orderId },
            late: false,
          },
        ],
      },
      {
        node: 'pay',
        kind: 'baseline',
        records: [
          {
            recordId: `p-${i}`,
            source: 'payments',
            eventTime: start + fields.payDelayMs,
            raw: { orderId, method: fields.paymentMethod },
            fields: { orderId },
            late: false,
          },
        ],
      },
    ],
    fields,
    verdicts: isFraud ? [fraud] : [],
    verdict: isFraud ? fraud : null,
    mergedInto: null,
  };
}
