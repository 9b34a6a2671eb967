import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { entityFieldName, type Session, type Template } from '@weft/templates';
import {
  CorrelationJob,
  DEFAULT_GRANULARITIES,
  latestSessions,
  profileSnapshotOf,
  runBatch,
  windowBounds,
} from '../../src/index.js';
import type {
  JobEvent,
  JobSnapshot,
  ProfileEntry,
  ProfileSnapshot,
  RawInput,
} from '../../src/index.js';
import { purchaseTemplate } from '../support/in-app-purchase.js';

/**
 * Entity features through the correlation job: a stream (records shuffled
 * within the out-of-orderness, watermark steps, a checkpoint restored at a
 * random cut) and batch mode give every session the same feature values and
 * verdicts, and both equal a brute-force oracle computed from the final
 * sessions alone (README "Entity profiles in the job").
 */

const runs = Number(process.env.WEFT_PROPERTY_RUNS ?? 200);
const compiled = purchaseTemplate();
const template = compiled.template;
const OOO = 10_000;
const T0 = Date.UTC(2026, 10, 24, 10, 0, 0);
const S = 1000;

interface Order {
  account: number;
  device: number;
  ip: number;
  start: number;
  payAfter: number | null;
  declined: boolean;
  amount: number;
  callback: boolean;
}

/** One order's raw lines: client order, pay page, and when it pays, a receipt (the attempt), then unless declined pay_done and maybe the channel callback. */
function orderLines(order: Order, n: number): { input: RawInput; ts: number }[] {
  const id = `O${String(n)}`;
  const at = T0 + order.start * S;
  const lines: { input: RawInput; ts: number }[] = [];
  const line = (source: string, ts: number, body: object) =>
    lines.push({ input: { source, raw: JSON.stringify(body) }, ts });
  line('client_order', at, {
    ts: at,
    order_id: id,
    role_id: `R${String(n)}`,
    account: { id: `A${String(order.account)}`, device_id: `D${String(order.device)}` },
    item_id: 'I1',
    amount_cents: order.amount * 100,
  });
  line('pay_page', at + 5 * S, {
    time: new Date(at + 5 * S).toISOString(),
    orderId: id,
    ip: `10.0.0.${String(order.ip)}`,
  });
  if (order.payAfter === null) return lines;
  const paid = at + order.payAfter * S;
  line('receipt', paid - 3 * S, {
    t: (paid - 3 * S) / S,
    order: id,
    receipt: { id: `RC${String(n)}`, verify: order.declined ? 'failed' : 'ok' },
  });
  if (order.declined) return lines;
  line('pay_done', paid, {
    event_time_ms: paid,
    order_id: id,
    trans_id: `T${String(n)}`,
    status: 'SUCCESS',
    amount: String(order.amount),
  });
  if (order.callback)
    line('channel_callback', paid + 20 * S, {
      notify_time: new Date(paid + 20 * S).toISOString(),
      trans_id: `T${String(n)}`,
      trade_status: 'TRADE_SUCCESS',
    });
  return lines;
}

/** Orders over 3 hours from a few accounts, devices and IPs, so windows and links overlap. */
const ordersArb = fc.array(
  fc.record({
    account: fc.integer({ min: 0, max: 3 }),
    device: fc.integer({ min: 0, max: 2 }),
    ip: fc.integer({ min: 0, max: 1 }),
    start: fc.integer({ min: 0, max: 3 * 3600 }),
    payAfter: fc.option(fc.integer({ min: 10, max: 600 }), { nil: null }),
    declined: fc.boolean(),
    amount: fc.integer({ min: 1, max: 50 }),
    callback: fc.boolean(),
  }),
  { minLength: 1, maxLength: 14 },
);

const streamArb = ordersArb.chain((orders) => {
  const lines = orders.flatMap((o, n) => orderLines(o, n));
  return fc.record({
    orders: fc.constant(orders),
    jitter: fc.array(fc.integer({ min: 0, max: OOO - 1 }), {
      minLength: lines.length,
      maxLength: lines.length,
    }),
    every: fc.integer({ min: 1, max: 6 }),
    cut: fc.integer({ min: 0, max: lines.length }),
  });
});

/**
 * Arrival by event time plus a jitter below the out-of-orderness: every
 * record is on time. The profile store is saved entity by entity after each
 * watermark step (`takeProfileChanges`); at the cut the checkpoint is
 * restored with the store rebuilt from those entries, not its own copy.
 */
function runStream(
  lines: readonly { input: RawInput; ts: number }[],
  jitter: readonly number[],
  every: number,
  cut: number,
): JobEvent[] {
  const events: JobEvent[] = [];
  const emit = (e: JobEvent) => events.push(e);
  const arrivals = lines
    .map((l, i) => ({ ...l, at: l.ts + (jitter[i] ?? 0), i }))
    .sort((a, b) => a.at - b.at || a.i - b.i);
  let job = new CorrelationJob(compiled, { emit });
  let newest = Number.NEGATIVE_INFINITY;
  const saved = new Map<string, ProfileEntry>();
  let header: ProfileSnapshot | null = null;
  const save = () => {
    const changes = JSON.parse(JSON.stringify(job.takeProfileChanges())) as {
      header: ProfileSnapshot;
      entries: ProfileEntry[];
    };
    header = changes.header;
    for (const entry of changes.entries) saved.set(`${entry.kind}/${entry.key}`, entry);
  };
  arrivals.forEach((a, k) => {
    if (k === cut) {
      save();
      const checkpoint = JSON.parse(JSON.stringify(job.snapshot())) as JobSnapshot;
      const profiles = {
        ...checkpoint.profiles!,
        store: profileSnapshotOf(header!, saved.values()),
      };
      job = CorrelationJob.restore(compiled, { ...checkpoint, profiles }, { emit });
      header = null;
      saved.clear();
    }
    job.ingest(a.input);
    newest = Math.max(newest, a.ts);
    if (k % every === 0) {
      job.advanceWatermark(newest - OOO - 1);
      job.advanceProcessingTime(a.at);
      save();
    }
  });
  job.advanceWatermark(Number.POSITIVE_INFINITY);
  return events;
}

type Features = Record<string, number | null>;

/** Each final session's `entity.*` fields and verdicts, by business key. */
function outcome(
  events: readonly JobEvent[],
): Map<string, { features: Features; verdicts: string[] }> {
  return new Map(
    latestSessions(events).map((s) => [
      s.businessKey,
      {
        features: Object.fromEntries(
          Object.entries(s.fields).filter(([name]) => name.startsWith('entity.')),
        ) as Features,
        verdicts: s.verdicts.map((v) => v.conclusion),
      },
    ]),
  );
}

interface Seen {
  readonly session: Session;
  readonly key: string;
  readonly time: number;
}

const firstTime = (s: Session, node: string) =>
  s.nodes.find((n) => n.node === node)?.records[0]?.eventTime;
const baselineStart = (s: Session) =>
  Math.min(...s.nodes.filter((n) => n.kind === 'baseline').map((n) => n.records[0]!.eventTime));

/**
 * The features by brute force from the final sessions: a windowed feature
 * scans every observation of the same entity in `windowBounds`; graph
 * features rebuild the links of the sessions whose first observation
 * precedes this one's (time, then session id).
 */
function oracle(t: Template, sessions: readonly Session[]): Map<string, Features> {
  const kinds = t.entities!.kinds;
  const seenOf = (s: Session, kind: (typeof kinds)[number]): Seen | null => {
    const key = s.fields[kind.field];
    const time = kind.at === undefined ? baselineStart(s) : firstTime(s, kind.at);
    return key === null || key === undefined || time === undefined
      ? null
      : { session: s, key: String(key), time };
  };
  const firstStep = (s: Session) => {
    const times = kinds.flatMap((k) => seenOf(s, k)?.time ?? []);
    return times.length === 0 ? baselineStart(s) : Math.min(...times);
  };
  const before = (a: Session, b: Session) =>
    firstStep(a) < firstStep(b) || (firstStep(a) === firstStep(b) && a.sessionId < b.sessionId);
  const out = new Map<string, Features>();
  for (const s of sessions) {
    const features: Features = {};
    for (const kind of kinds) {
      const own = seenOf(s, kind);
      for (const f of kind.features) {
        const name = entityFieldName(kind.id, f.name);
        features[name] = null;
        if (own === null) continue;
        if (f.window !== undefined) {
          const { from, to } = windowBounds(DEFAULT_GRANULARITIES, f.window, own.time);
          const hits = sessions
            .map((other) => seenOf(other, kind))
            .filter(
              (o): o is Seen => o !== null && o.key === own.key && o.time >= from && o.time < to,
            );
          const values = hits.flatMap((h) => {
            const v = f.field === undefined ? null : h.session.fields[f.field];
            return v === null || v === undefined ? [] : [v];
          });
          const numbers = values.map(Number);
          features[name] =
            f.agg === 'count'
              ? hits.length
              : f.agg === 'sum'
                ? numbers.reduce((a, b) => a + b, 0)
                : f.agg === 'min'
                  ? numbers.length === 0
                    ? null
                    : Math.min(...numbers)
                  : f.agg === 'max'
                    ? numbers.length === 0
                      ? null
                      : Math.max(...numbers)
                    : f.agg === 'distinct'
                      ? new Set(values.map(String)).size
                      : hits.length === 0
                        ? null
                        : Math.max(...hits.map((h) => h.time));
          continue;
        }
        const earlier = sessions.filter((o) => before(o, s));
        features[name] = graphFeature(t, earlier, `${kind.id}:${own.key}`, f.agg, f.of);
      }
    }
    out.set(s.businessKey, features);
  }
  return out;
}

/** A graph feature from the links of `sessions` (each links every entity it names). */
function graphFeature(
  t: Template,
  sessions: readonly Session[],
  node: string,
  agg: string,
  of: string | undefined,
): number {
  const adjacent = new Map<string, Set<string>>();
  for (const s of sessions) {
    const refs = t.entities!.kinds.flatMap((k) => {
      const key = s.fields[k.field];
      return key === null || key === undefined ? [] : [`${k.id}:${String(key)}`];
    });
    for (const a of refs) {
      const set = adjacent.get(a) ?? new Set<string>();
      adjacent.set(a, set);
      for (const b of refs) if (b !== a) set.add(b);
    }
  }
  if (!adjacent.has(node)) return 0;
  const ofKind = (ref: string) => of === undefined || ref.startsWith(`${of}:`);
  if (agg === 'neighbours') return [...adjacent.get(node)!].filter(ofKind).length;
  const component = new Set([node]);
  const queue = [node];
  while (queue.length > 0)
    for (const next of adjacent.get(queue.pop()!) ?? [])
      if (!component.has(next)) {
        component.add(next);
        queue.push(next);
      }
  return [...component].filter(ofKind).length;
}

describe('entity features in the correlation job', () => {
  it('streaming (with a checkpoint restore), batch and a brute-force oracle agree', () => {
    fc.assert(
      fc.property(streamArb, ({ orders, jitter, every, cut }) => {
        const lines = orders.flatMap((o, n) => orderLines(o, n));
        const batchEvents = runBatch(
          compiled,
          lines.map((l) => l.input),
        );
        const batch = outcome(batchEvents);
        const stream = outcome(runStream(lines, jitter, every, cut));
        expect(stream).toEqual(batch);
        const expected = oracle(template, latestSessions(batchEvents));
        for (const [key, { features }] of batch) expect(features, key).toEqual(expected.get(key));
      }),
      { numRuns: runs },
    );
    // Each run correlates a stream twice and the oracle once: CI's 1,000 runs take minutes on a loaded machine.
  }, 600_000);

  it('counts a session once however often it fires, and settles before forgetting it', () => {
    // Five paid orders of one account a minute apart, each firing complete,
    // then final, then again when its channel callback attaches; the 4th and
    // 5th follow 3 and 4 attempts within 10 minutes (payment_velocity).
    const orders: Order[] = Array.from({ length: 5 }, (_, i) => ({
      account: 1,
      device: 1,
      ip: 0,
      start: i * 60,
      payAfter: 30,
      declined: false,
      amount: 6,
      callback: true,
    }));
    const lines = orders.flatMap((o, n) => orderLines(o, n));
    const events = runStream(
      lines,
      lines.map(() => 0),
      1,
      lines.length,
    );
    const last = outcome(events);
    expect(
      [...last.values()].map((s) => s.features[entityFieldName('account', 'payments_10m')]),
    ).toEqual([0, 1, 2, 3, 4]);
    expect([...last.values()].map((s) => s.verdicts.includes('payment_velocity'))).toEqual([
      false,
      false,
      false,
      true,
      true,
    ]);
  });
});
