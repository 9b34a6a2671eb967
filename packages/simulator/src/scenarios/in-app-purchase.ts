import { clamp } from '../distributions.js';
import { genericFaultSpecs } from '../generic-faults.js';
import type {
  FaultSpec,
  PatternTag,
  RecordDraft,
  Scenario,
  SessionContext,
  SessionDraft,
  Verdict,
} from '../model.js';
import { encodeTime, formatCents } from '../model.js';
import type { Rng } from '../prng.js';
import { permutedId } from './ids.js';
import type { CatalogItem, FraudRing, InAppWorld, Player } from './in-app-world.js';
import { buildInAppWorld, itemCatalog } from './in-app-world.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
/** The pay_page host's clock runs this far ahead on the skewed share of sessions. */
const PAY_PAGE_SKEW_MS = 90 * SECOND;

export const IN_APP_FAULTS = {
  paidNotDelivered: 'paid-not-delivered',
  doubleDelivery: 'double-delivery',
  receiptVerifyFailed: 'receipt-verify-failed',
  callbackLost: 'callback-lost',
  abandon: 'abandon-at-pay-page',
  orphan: 'orphan-callback',
  crashResume: 'crash-resume',
  clockSkew: 'clock-skew',
  fraudRing: 'fraud-ring',
  cardTesting: 'card-testing',
} as const;

/** The conclusions of the in-app purchase example template meant to detect each pattern. */
export const IN_APP_PATTERN_CONCLUSIONS = {
  [IN_APP_FAULTS.fraudRing]: 'shared_device_ring',
  [IN_APP_FAULTS.cardTesting]: 'payment_velocity',
} as const;

/** Share of a card-testing burst's payments whose receipt the store rejects (declined cards). */
const BURST_DECLINE_RATE = 0.25;

const faults: readonly FaultSpec[] = [
  {
    name: IN_APP_FAULTS.paidNotDelivered,
    kind: 'outcome',
    defaultRate: 0.01,
    per: 'order',
    description: 'Payment completes, the game server never delivers. Truth: `paid_not_delivered`.',
  },
  {
    name: IN_APP_FAULTS.doubleDelivery,
    kind: 'outcome',
    defaultRate: 0.005,
    per: 'order',
    description:
      'The game server delivers twice, 2 s–15 min apart (both within 20 min of pay_done). Truth: `double_delivery`.',
  },
  {
    name: IN_APP_FAULTS.receiptVerifyFailed,
    kind: 'outcome',
    defaultRate: 0.02,
    per: 'order',
    description:
      'The receipt is logged with `verify: "failed"`; billing stops there. Truth: `receipt_verify_failed`.',
  },
  {
    name: IN_APP_FAULTS.callbackLost,
    kind: 'outcome',
    defaultRate: 0.01,
    per: 'order',
    description: 'The channel never calls back. Truth: `callback_missing`.',
  },
  {
    name: IN_APP_FAULTS.abandon,
    kind: 'outcome',
    defaultRate: 0.08,
    per: 'order',
    description: 'The player opens the pay page and leaves. Truth: `abandoned_at_pay_page`.',
  },
  {
    name: IN_APP_FAULTS.orphan,
    kind: 'shape',
    defaultRate: 0.002,
    per: 'order (an extra record)',
    description:
      'An extra `channel_callback` whose `trans_id` (prefix `T9`) belongs to no order. Truth: an orphan entry; it must attach to no session.',
  },
  {
    name: IN_APP_FAULTS.crashResume,
    kind: 'shape',
    defaultRate: 0.005,
    per: 'order that reaches payment',
    description:
      'The client crashes after the pay page and the player resumes 21–40 min later (beyond the 20 min gap): client_order and pay_page are logged again, then the purchase goes on. Truth: flagged `split`, two expected sessions, the first `abandoned_at_pay_page`.',
  },
  {
    name: IN_APP_FAULTS.clockSkew,
    kind: 'shape',
    defaultRate: 0.1,
    per: 'order (share served by the skewed host)',
    description:
      'The `pay_page` host clock runs 90 s ahead: the logged `time` is 90 s late, arrival is unchanged. Truth unchanged.',
  },
  {
    name: IN_APP_FAULTS.fraudRing,
    kind: 'pattern',
    defaultRate: 0,
    per: 'order',
    description:
      'The order is placed by a member of a fraud ring: 8–24 accounts sharing 1–3 devices in one region (one ring per 4,000 orders, at least 2). Truth: `patterns` names the ring and the conclusion `shared_device_ring`; the flow conclusion is unchanged.',
  },
  {
    name: IN_APP_FAULTS.cardTesting,
    kind: 'pattern',
    defaultRate: 0,
    per: 'order (starts a burst)',
    description:
      'A card-testing burst: one account buys the cheapest item 8–20 times, 8–40 s apart, each a full order of its own (`<id>~b<n>` for the later ones), a quarter of them declined (`receipt_verify_failed`). Truth: `patterns` names the burst and the conclusion `payment_velocity`.',
  },
  ...genericFaultSpecs,
];

interface Purchase {
  readonly player: Player;
  readonly item: CatalogItem;
  readonly orderId: string;
  readonly transId: string;
  readonly receiptNo: string;
  readonly channel: string;
  readonly skewPayPage: boolean;
  /** A script pays at once: seconds on the pay page instead of a player's think time. */
  readonly scripted?: boolean;
}

/** Lognormal think time / delay in ms, clamped. */
function wait(rng: Rng, medianMs: number, sigma: number, minMs: number, maxMs: number): number {
  return Math.round(clamp(rng.logNormal(medianMs, sigma), minMs, maxMs));
}

function draft(
  source: string,
  eventTime: number,
  delay: number,
  key: string,
  body: Record<string, unknown>,
  part: number,
  skewed = false,
): RecordDraft {
  return { source, eventTime, delay, key, body, part, skewed };
}

/** client_order then pay_page: what the client logs up to the pay page. Returns the pay_page time. */
function orderAndPayPage(rng: Rng, p: Purchase, at: number, part: number, out: RecordDraft[]) {
  out.push(
    draft(
      'client_order',
      at,
      wait(rng, 2 * SECOND, 1, 200, MINUTE),
      p.orderId,
      {
        ts: encodeTime(at, 'epoch_ms'),
        event: 'order_create',
        order_id: p.orderId,
        role_id: p.player.roleId,
        account: { id: p.player.accountId, device_id: p.player.deviceId },
        item_id: p.item.itemId,
        amount_cents: p.item.priceCents,
        currency: 'CNY',
        channel: p.channel,
        region: p.player.region,
        client: { os: p.player.os, ver: p.player.clientVersion },
      },
      part,
    ),
  );
  const pageAt = at + wait(rng, 4 * SECOND, 0.8, 500, 90 * SECOND);
  const logged = pageAt + (p.skewPayPage ? PAY_PAGE_SKEW_MS : 0);
  out.push(
    draft(
      'pay_page',
      pageAt,
      wait(rng, 300, 0.6, 50, 5 * SECOND),
      p.orderId,
      {
        time: encodeTime(logged, 'iso'),
        orderId: p.orderId,
        page: 'pay',
        channel: p.channel,
        ip: `${p.player.ipPrefix}.${String(rng.int(0, 256))}.${String(rng.int(1, 255))}`,
      },
      part,
      p.skewPayPage,
    ),
  );
  return pageAt;
}

/** The think time on the pay page: mostly seconds, a tail up to the 20 min payment-intent window. */
function payPageThinkTime(rng: Rng): number {
  if (rng.chance(0.03)) return rng.int(10 * MINUTE, 18 * MINUTE);
  return wait(rng, 25 * SECOND, 1.3, 3 * SECOND, 18 * MINUTE);
}

function payment(rng: Rng, p: Purchase, pageAt: number, outcome: string | null, part: number) {
  const out: RecordDraft[] = [];
  const receiptAt =
    pageAt + (p.scripted === true ? rng.int(SECOND, 6 * SECOND) : payPageThinkTime(rng));
  const failed = outcome === IN_APP_FAULTS.receiptVerifyFailed;
  const receiptId = `RC${p.receiptNo}`;
  out.push(
    draft(
      'receipt',
      receiptAt,
      wait(rng, 400, 0.5, 50, 5 * SECOND),
      p.orderId,
      {
        t: encodeTime(receiptAt, 'epoch_s'),
        order: p.orderId,
        receipt: { id: receiptId, verify: failed ? 'failed' : 'ok' },
      },
      part,
    ),
  );
  if (failed) return out;
  const paidAt = receiptAt + wait(rng, 1500, 0.7, 200, MINUTE);
  const amount = formatCents(p.item.priceCents);
  out.push(
    draft(
      'pay_done',
      paidAt,
      wait(rng, 150, 0.5, 20, 2 * SECOND),
      p.orderId,
      {
        event_time_ms: encodeTime(paidAt, 'epoch_ms'),
        order_id: p.orderId,
        trans_id: p.transId,
        status: 'SUCCESS',
        amount,
      },
      part,
    ),
  );
  if (outcome !== IN_APP_FAULTS.callbackLost) {
    const notifyAt = paidAt + wait(rng, 1200, 1, 100, 10 * MINUTE);
    out.push(
      draft(
        'channel_callback',
        notifyAt,
        wait(rng, 300, 0.5, 20, 3 * SECOND),
        p.transId,
        {
          notify_time: encodeTime(notifyAt, 'iso'),
          trans_id: p.transId,
          trade_status: 'TRADE_SUCCESS',
          total_fee: amount,
        },
        part,
      ),
    );
  }
  if (outcome === IN_APP_FAULTS.paidNotDelivered) return out;
  const deliveries = outcome === IN_APP_FAULTS.doubleDelivery ? 2 : 1;
  let deliveredAt = paidAt + wait(rng, 3 * SECOND, 1, 300, 15 * MINUTE);
  for (let n = 0; n < deliveries; n += 1) {
    out.push(
      draft(
        'delivery',
        deliveredAt,
        wait(rng, 2 * SECOND, 0.6, 200, 20 * SECOND),
        p.orderId,
        {
          log_time: encodeTime(deliveredAt, 'epoch_ms'),
          role: { id: p.player.roleId },
          bill_no: p.orderId,
          item: p.item.itemId,
          qty: 1,
        },
        part,
      ),
    );
    deliveredAt = Math.min(
      paidAt + 19 * MINUTE,
      deliveredAt + wait(rng, MINUTE, 1.2, 2 * SECOND, 15 * MINUTE),
    );
  }
  return out;
}

const reachesPayment = (outcome: string | null) =>
  outcome !== IN_APP_FAULTS.abandon && outcome !== IN_APP_FAULTS.receiptVerifyFailed;

/** A ring member paying from one of the ring's devices. */
function ringPlayer(rng: Rng, ring: FraudRing): Player {
  return { ...rng.pick(ring.members), deviceId: rng.pick(ring.devices) };
}

function session(context: SessionContext<InAppWorld>): SessionDraft {
  const { rng, outcome, shapes, pattern } = context;
  if (pattern === IN_APP_FAULTS.cardTesting) return cardTestingBurst(context);
  const ring = pattern === IN_APP_FAULTS.fraudRing ? rng.pick(context.world.rings) : null;
  const player = ring === null ? context.world.pickPlayer(rng) : ringPlayer(rng, ring);
  const skewPayPage = shapes.has(IN_APP_FAULTS.clockSkew);
  const purchase: Purchase = {
    player,
    item: context.world.pickItem(rng),
    orderId: `O${permutedId(context.index, 10, 3_141_592_653)}`,
    transId: `T${String(1 + (context.index % 8))}${permutedId(context.index, 13, 2_718_281_828)}`,
    receiptNo: permutedId(context.index, 12, 1_618_033_988),
    channel: rng.chance(0.85) ? player.channel : rng.pick(['alipay', 'wechat']),
    skewPayPage,
  };
  const records: RecordDraft[] = [];
  const applied: string[] = outcome === null ? [] : [outcome];
  if (skewPayPage) applied.push(IN_APP_FAULTS.clockSkew);
  let pageAt = orderAndPayPage(rng, purchase, context.start, 0, records);
  const split = shapes.has(IN_APP_FAULTS.crashResume) && reachesPayment(outcome);
  if (split) {
    applied.push(IN_APP_FAULTS.crashResume);
    pageAt = orderAndPayPage(rng, purchase, pageAt + rng.int(21 * MINUTE, 40 * MINUTE), 1, records);
  }
  if (outcome !== IN_APP_FAULTS.abandon) {
    records.push(...payment(rng, purchase, pageAt, outcome, split ? 1 : 0));
  }
  if (ring === null) return { businessKey: purchase.orderId, records, faults: applied, split };
  applied.push(IN_APP_FAULTS.fraudRing);
  const tag = patternTag(IN_APP_FAULTS.fraudRing, ring.id);
  return { businessKey: purchase.orderId, records, faults: applied, split, patterns: [tag] };
}

function patternTag(
  pattern: keyof typeof IN_APP_PATTERN_CONCLUSIONS,
  instance: string,
): PatternTag {
  return { pattern, instance, conclusion: IN_APP_PATTERN_CONCLUSIONS[pattern] };
}

/**
 * A card tester's script: one account buys the cheapest item 8–20 times in a row, each a whole
 * order (the first keeps this index's ids, the later ones append the payment number), a quarter
 * declined at the receipt. The drawn outcome and shape faults other than the generic ones are
 * not applied to a burst.
 */
function cardTestingBurst(context: SessionContext<InAppWorld>): SessionDraft {
  const { rng, world, index } = context;
  const player = world.pickPlayer(rng);
  const item = rng.pick(world.cheapItems);
  const tag = patternTag(IN_APP_FAULTS.cardTesting, `burst-${String(index + 1).padStart(7, '0')}`);
  const drafts: SessionDraft[] = [];
  let at = context.start;
  for (let n = 0, size = rng.int(8, 21); n < size; n += 1) {
    const suffix = n === 0 ? '' : String(n).padStart(2, '0');
    const purchase: Purchase = {
      player,
      item,
      orderId: `O${n === 0 ? '' : '7'}${permutedId(index, 10, 3_141_592_653)}${suffix}`,
      transId: `T${n === 0 ? String(1 + (index % 8)) : '0'}${permutedId(index, 13, 2_718_281_828)}${suffix}`,
      receiptNo: `${permutedId(index, 12, 1_618_033_988)}${suffix}`,
      channel: player.channel,
      skewPayPage: false,
      scripted: true,
    };
    const declined = rng.chance(BURST_DECLINE_RATE) ? IN_APP_FAULTS.receiptVerifyFailed : null;
    const records: RecordDraft[] = [];
    const pageAt = orderAndPayPage(rng, purchase, at, 0, records);
    records.push(...payment(rng, purchase, pageAt, declined, 0));
    const faults = declined === null ? [tag.pattern] : [declined, tag.pattern];
    drafts.push({ businessKey: purchase.orderId, records, faults, split: false, patterns: [tag] });
    at += rng.int(8 * SECOND, 40 * SECOND);
  }
  const [first, ...rest] = drafts as [SessionDraft, ...SessionDraft[]];
  return { ...first, followUps: rest };
}

function orphan(context: SessionContext<InAppWorld>): RecordDraft {
  const { rng } = context;
  const at = context.start + rng.int(0, 10 * MINUTE);
  const transId = `T9${permutedId(context.index, 13, 1_414_213_562)}`;
  const fee = formatCents(context.world.pickItem(rng).priceCents);
  return draft(
    'channel_callback',
    at,
    wait(rng, 300, 0.5, 20, 3 * SECOND),
    transId,
    {
      notify_time: encodeTime(at, 'iso'),
      trans_id: transId,
      trade_status: 'TRADE_SUCCESS',
      total_fee: fee,
    },
    0,
  );
}

const FLOW = ['client_order', 'pay_page', 'receipt', 'pay_done', 'channel_callback', 'delivery'];

/** docs/scenarios.md §1 conclusions, first that applies (one pass: it runs for every session). */
function conclude(records: readonly RecordDraft[]): Verdict | null {
  const count: Record<string, number> = {};
  let paid = false;
  let failed = false;
  for (const record of records) {
    count[record.source] = (count[record.source] ?? 0) + 1;
    if (record.source === 'pay_done' && record.body['status'] === 'SUCCESS') paid = true;
    if (record.source === 'receipt') {
      failed ||= (record.body['receipt'] as { verify: string }).verify === 'failed';
    }
  }
  const payDone = count['pay_done'] ?? 0;
  const deliveries = count['delivery'] ?? 0;
  if (paid && deliveries === 0) return { conclusion: 'paid_not_delivered', severity: 'critical' };
  if (deliveries >= 2) return { conclusion: 'double_delivery', severity: 'high' };
  if (failed) return { conclusion: 'receipt_verify_failed', severity: 'high' };
  if (payDone > 0 && (count['channel_callback'] ?? 0) === 0) {
    return { conclusion: 'callback_missing', severity: 'medium' };
  }
  if ((count['pay_page'] ?? 0) > 0 && payDone === 0) {
    return { conclusion: 'abandoned_at_pay_page', severity: 'low' };
  }
  if (FLOW.every((source) => count[source] === 1)) return { conclusion: 'ok', severity: 'info' };
  return null;
}

/** docs/scenarios.md §1: a purchase in an online game. */
export const inAppPurchase: Scenario<InAppWorld> = {
  id: 'in-app-purchase',
  sessionPrefix: 'iap',
  sources: [
    { id: 'client_order', timeField: 'ts', encoding: 'epoch_ms' },
    { id: 'pay_page', timeField: 'time', encoding: 'iso' },
    { id: 'receipt', timeField: 't', encoding: 'epoch_s' },
    { id: 'pay_done', timeField: 'event_time_ms', encoding: 'epoch_ms' },
    { id: 'channel_callback', timeField: 'notify_time', encoding: 'iso' },
    { id: 'delivery', timeField: 'log_time', encoding: 'epoch_ms' },
  ],
  faults,
  orphanFault: IN_APP_FAULTS.orphan,
  // Players in UTC+8: quiet before dawn, a lunch bump, the evening peak at 20–22h.
  traffic: {
    hourlyWeights: [
      0.6, 0.4, 0.25, 0.15, 0.1, 0.1, 0.2, 0.4, 0.6, 0.7, 0.8, 0.9, 1.1, 1, 0.9, 0.85, 0.9, 1, 1.1,
      1.3, 1.5, 1.6, 1.4, 1,
    ],
    utcOffsetHours: 8,
  },
  buildWorld: buildInAppWorld,
  dimensions: (world) => [itemCatalog(world)],
  session,
  orphan,
  conclude,
};
