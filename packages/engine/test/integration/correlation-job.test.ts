import { describe, expect, it } from 'vitest';
import {
  CorrelationJob,
  latestSessions,
  reprocessLate,
  sessionIdFor,
  sessionStartOf,
} from '../../src/index.js';
import type { JobEvent } from '../../src/index.js';
import { businessKeyLimit } from '@weft/templates';
import { normalPurchase, purchaseRecord, purchaseTemplate } from '../support/in-app-purchase.js';

const compiled = purchaseTemplate();
const MIN = 60_000;
const T0 = 1_764_000_000_000;

function start() {
  const events: JobEvent[] = [];
  const job = new CorrelationJob(compiled, { emit: (e) => events.push(e) });
  const of = <T extends JobEvent['type']>(type: T) =>
    events.filter((e): e is Extract<JobEvent, { type: T }> => e.type === type);
  return { job, events, of };
}

describe('CorrelationJob on the in-app-purchase template', () => {
  it('fires complete on the fourth baseline step, re-emits as supplements attach, then closes finally', () => {
    const { job, of } = start();
    for (const input of normalPurchase(1, T0)) job.ingest(input);
    const versions = of('session').map((e) => e.session);
    expect(versions.map((s) => [s.version, s.fireReason, s.status])).toEqual([
      [1, 'complete', 'open'],
      [2, 'complete', 'open'],
      [3, 'complete', 'open'],
    ]);
    expect(new Set(versions.map((s) => s.sessionId))).toEqual(
      new Set([`in-app-purchase/O1/${T0}`]),
    );
    expect(versions[2]!.nodes.map((n) => `${n.kind}:${n.node}`)).toEqual([
      'baseline:client_order',
      'baseline:pay_page',
      'baseline:receipt',
      'baseline:pay_done',
      'supplement:channel_callback',
      'supplement:delivery',
    ]);
    expect(versions[0]!.verdict?.conclusion).toBe('paid_not_delivered');
    expect(versions[2]!.verdict?.conclusion).toBe('ok');
    job.advanceWatermark(T0 + 35_000 + 20 * MIN);
    const last = of('session').at(-1)!.session;
    expect([last.version, last.fireReason, last.status]).toEqual([4, 'final', 'closed']);
    expect([last.start, last.end]).toEqual([T0, T0 + 35_000]);
  });

  it('with coalesce, emits each changed session once per clock advance, with the same content', () => {
    const events: JobEvent[] = [];
    const job = new CorrelationJob(compiled, { emit: (e) => events.push(e), coalesce: true });
    for (const input of normalPurchase(1, T0)) job.ingest(input);
    expect(events).toEqual([]);
    job.advanceProcessingTime(1);
    const first = events.map((e) => (e.type === 'session' ? e.session : null));
    expect(first.map((s) => [s?.version, s?.fireReason, s?.status])).toEqual([
      [1, 'complete', 'open'],
    ]);
    expect(first[0]!.nodes.map((n) => n.node)).toContain('delivery');
    expect(first[0]!.verdict?.conclusion).toBe('ok');
    job.advanceProcessingTime(2);
    expect(events).toHaveLength(1);
    job.advanceWatermark(T0 + 35_000 + 20 * MIN);
    const last = events.at(-1)!;
    expect(last.type === 'session' && [last.session.version, last.session.status]).toEqual([
      2,
      'closed',
    ]);
  });

  it('attaches supplements that arrived before the session fired, at its first firing', () => {
    const { job, of } = start();
    const [order, page, receipt, done, callback, delivery] = normalPurchase(2, T0);
    for (const input of [callback!, delivery!, order!, page!, receipt!]) job.ingest(input);
    expect(of('session')).toHaveLength(0);
    expect(job.pendingSupplementCount).toBe(2);
    job.ingest(done!);
    const first = of('session')[0]!.session;
    expect(first.nodes.map((n) => n.node)).toContain('channel_callback');
    expect(first.nodes.map((n) => n.node)).toContain('delivery');
    expect(first.verdict?.conclusion).toBe('ok');
    expect(job.pendingSupplementCount).toBe(0);
  });

  it('fires on processing-time timeout when incomplete and the watermark stalls', () => {
    const { job, of } = start();
    job.ingest(purchaseRecord('client_order', 3, T0));
    job.ingest(purchaseRecord('pay_page', 3, T0 + 2_000));
    job.advanceProcessingTime(2 * MIN - 1);
    expect(of('session')).toHaveLength(0);
    job.advanceProcessingTime(2 * MIN);
    const s = of('session')[0]!.session;
    expect([s.fireReason, s.status, s.verdict?.conclusion]).toEqual([
      'timeout',
      'open',
      'abandoned_at_pay_page',
    ]);
  });

  it('dead-letters unparseable lines, missing time, missing keys and unknown sources with the reason', () => {
    const { job, of } = start();
    job.ingest({ source: 'pay_done', raw: '{not json', origin: { line: 7 } });
    job.ingest({ source: 'pay_done', raw: JSON.stringify({ order_id: 'O1' }) });
    job.ingest({ source: 'pay_done', raw: JSON.stringify({ event_time_ms: T0 }) });
    job.ingest({ source: 'delivery', raw: JSON.stringify({ log_time: T0, role: { id: 'R1' } }) });
    job.ingest({ source: 'nope', raw: '{}' });
    const reasons = of('deadLetter').map((e) => e.deadLetter.reason);
    expect(reasons[0]).toMatch(/^not valid JSON/);
    expect(reasons[1]).toContain('missing event time "event_time_ms"');
    expect(reasons[2]).toContain('order_id');
    expect(reasons[3]).toContain('bill_no');
    expect(reasons[4]).toContain('unknown source "nope"');
    expect(of('deadLetter')[0]!.deadLetter.origin).toEqual({ line: 7 });
  });

  it('dead-letters a baseline record whose business key is too long to store, naming the limit', () => {
    const { job, of } = start();
    const limit = businessKeyLimit(compiled.template.id);
    const record = (orderId: string) =>
      JSON.stringify({
        ...JSON.parse(purchaseRecord('client_order', 1, T0).raw),
        order_id: orderId,
      });
    job.ingest({ source: 'client_order', raw: record('k'.repeat(limit)) });
    // Astral characters: two UTF-16 units each, one character of the limit.
    job.ingest({ source: 'client_order', raw: record('🚀'.repeat(limit)) });
    job.ingest({ source: 'client_order', raw: record('k'.repeat(limit + 1)), origin: { line: 3 } });
    const dead = of('deadLetter').map((e) => e.deadLetter);
    expect(dead.map((d) => d.origin)).toEqual([{ line: 3 }]);
    expect(dead[0]!.reason).toBe(
      `business key "order_id" of baseline node client_order is ${limit + 1} characters long; a session of template in-app-purchase can be stored with keys of at most ${limit} (its id is in-app-purchase/<key>/<start>)`,
    );
    job.advanceWatermark(Number.POSITIVE_INFINITY);
    const ids = of('session').map((e) => e.session.sessionId);
    expect(new Set(ids).size).toBe(2);
    for (const id of ids) expect(Array.from(id).length).toBeLessThanOrEqual(191);
  });

  it('emits a supplement that never finds a session as an orphan once the watermark passes its wait', () => {
    const { job, of } = start();
    job.ingest(purchaseRecord('channel_callback', 99, T0));
    job.advanceWatermark(T0 + 2 * 60 * MIN);
    expect(of('orphan')).toHaveLength(0);
    job.advanceWatermark(T0 + 4 * 60 * MIN);
    expect(of('orphan').map((e) => [e.orphan.node, e.orphan.keys])).toEqual([
      ['channel_callback', { trans_id: 'T99' }],
    ]);
  });

  it('deduplicates an identical raw line (same record id)', () => {
    const { job, of } = start();
    const order = purchaseRecord('client_order', 4, T0);
    job.ingest(order);
    job.ingest(order);
    job.advanceWatermark(T0 + 21 * MIN);
    const s = of('session')[0]!.session;
    expect(s.nodes[0]!.records).toHaveLength(1);
  });

  it('retracts an absorbed fired session when a record bridges two sessions of one order', () => {
    const { job, of } = start();
    job.ingest(purchaseRecord('client_order', 5, T0));
    job.advanceProcessingTime(2 * MIN); // fires A (timeout)
    job.ingest(purchaseRecord('pay_page', 5, T0 + 30 * MIN));
    job.advanceProcessingTime(4 * MIN); // fires B (timeout)
    job.ingest(purchaseRecord('receipt', 5, T0 + 15 * MIN)); // touches both windows
    const [retraction] = of('retraction').map((e) => e.retraction);
    expect(retraction).toEqual({
      sessionId: `in-app-purchase/O5/${T0 + 30 * MIN}`,
      templateId: 'in-app-purchase',
      mergedInto: `in-app-purchase/O5/${T0}`,
      version: 2,
    });
    const emittedIds = new Set(of('session').map((e) => e.session.sessionId));
    expect(emittedIds.has(retraction!.sessionId)).toBe(true);
    job.advanceWatermark(T0 + 60 * MIN);
    const final = latestSessions(of('session'));
    expect(final).toHaveLength(2); // latestSessions alone does not see retractions
  });

  it('moves a fired session to the id of an earlier start, retracting the old id into it', () => {
    const { job, events, of } = start();
    job.ingest(purchaseRecord('pay_page', 7, T0 + MIN));
    job.advanceProcessingTime(2 * MIN); // fires (timeout) as …/O7/T0+1min
    job.ingest(purchaseRecord('client_order', 7, T0)); // on time, earlier than the start
    job.advanceProcessingTime(4 * MIN); // fires again, now starting at T0
    const ids = of('session').map((e) => e.session.sessionId);
    expect(ids).toEqual([`in-app-purchase/O7/${T0 + MIN}`, `in-app-purchase/O7/${T0}`]);
    expect(of('retraction').map((e) => e.retraction)).toEqual([
      {
        sessionId: `in-app-purchase/O7/${T0 + MIN}`,
        templateId: 'in-app-purchase',
        mergedInto: `in-app-purchase/O7/${T0}`,
        version: 2,
      },
    ]);
    // The retraction follows the version it names as the survivor.
    expect(events.findIndex((e) => e.type === 'retraction')).toBeGreaterThan(
      events.findIndex((e) => e.type === 'session' && e.session.sessionId.endsWith(`/${T0}`)),
    );
    job.advanceWatermark(T0 + 60 * MIN);
    const versions = of('session')
      .filter((e) => e.session.sessionId === `in-app-purchase/O7/${T0}`)
      .map((e) => e.session.version);
    expect(versions).toEqual([2, 3]);
  });

  it('a checkpoint taken between the move and the next emission still retracts the old id', () => {
    const events: JobEvent[] = [];
    const emit = (e: JobEvent) => events.push(e);
    const job = new CorrelationJob(compiled, { emit, coalesce: true });
    job.ingest(purchaseRecord('pay_page', 9, T0 + MIN));
    job.advanceProcessingTime(2 * MIN); // emits …/O9/T0+1min
    job.ingest(purchaseRecord('client_order', 9, T0));
    job.ingest(purchaseRecord('receipt', 9, T0 + 2 * MIN));
    job.ingest(purchaseRecord('pay_done', 9, T0 + 3 * MIN)); // complete: fires under …/O9/T0, held
    const snapshot = JSON.parse(JSON.stringify(job.snapshot()));
    const restored = CorrelationJob.restore(compiled, snapshot, { emit, coalesce: true });
    restored.flush();
    expect(events.map((e) => (e.type === 'session' ? e.session.sessionId : e.type))).toEqual([
      `in-app-purchase/O9/${T0 + MIN}`,
      `in-app-purchase/O9/${T0}`,
      'retraction',
    ]);
  });

  it('late reprocessing moves a stored session to the id of a late record’s earlier start', () => {
    const { job, events, of } = start();
    for (const input of normalPurchase(8, T0 + MIN).filter((i) => i.source !== 'client_order'))
      job.ingest(input);
    job.advanceWatermark(T0 + 2 * 60 * MIN);
    job.ingest(purchaseRecord('client_order', 8, T0));
    const [late] = of('late').map((e) => e.late);
    const stored = latestSessions(events);
    expect(stored.map((s) => s.sessionId)).toEqual([`in-app-purchase/O8/${T0 + MIN + 2_000}`]);
    const outcome = reprocessLate({ sessions: stored }, late!, compiled);
    expect(outcome.sessions.map((s) => [s.sessionId, s.version, s.start])).toEqual([
      [`in-app-purchase/O8/${T0}`, stored[0]!.version + 1, T0],
    ]);
    expect(outcome.retractions).toEqual([
      {
        sessionId: stored[0]!.sessionId,
        templateId: 'in-app-purchase',
        mergedInto: `in-app-purchase/O8/${T0}`,
        version: stored[0]!.version + 1,
      },
    ]);
    // A stored version left open by a crashed run still comes out closed.
    const leftOver = { ...stored[0]!, status: 'open' as const };
    expect(reprocessLate({ sessions: [leftOver] }, late!, compiled).sessions[0]!.status).toBe(
      'closed',
    );
    const delivery = purchaseRecord('delivery', 8, T0 + MIN + 40_000, 1);
    job.ingest(delivery);
    const lateDelivery = of('late').map((e) => e.late)[1]!;
    expect(lateDelivery.kind).toBe('supplement');
    expect(
      reprocessLate(
        { sessions: [{ ...outcome.sessions[0]!, status: 'open' }] },
        lateDelivery,
        compiled,
      ).sessions.map((s) => s.status),
    ).toEqual(['closed']);
  });

  it('sends records behind the watermark to the late queue, and late reprocessing attaches them with a new version', () => {
    const { job, events, of } = start();
    for (const input of normalPurchase(6, T0).filter((i) => i.source !== 'receipt'))
      job.ingest(input);
    job.advanceWatermark(T0 + 2 * 60 * MIN);
    job.ingest(purchaseRecord('receipt', 6, T0 + 12_000));
    const [late] = of('late').map((e) => e.late);
    expect([late!.node, late!.kind, late!.keys, late!.record.late]).toEqual([
      'receipt',
      'baseline',
      { order_id: 'O6' },
      true,
    ]);
    const stored = latestSessions(events);
    const outcome = reprocessLate({ sessions: stored }, late!, compiled);
    const updated = outcome.sessions[0]!;
    expect(updated.sessionId).toBe(stored[0]!.sessionId);
    expect(updated.version).toBe(stored[0]!.version + 1);
    expect(updated.fireReason).toBe('late');
    expect(updated.nodes.find((n) => n.node === 'receipt')!.records[0]!.late).toBe(true);
    expect(updated.verdict?.conclusion).toBe('ok');
  });
});

describe('supplement cardinality', () => {
  const records = (events: JobEvent[], node: string) =>
    latestSessions(events)[0]!
      .nodes.find((n) => n.node === node)
      ?.records.map((r) => r.eventTime);

  it('one (channel_callback) keeps the earliest matching record whatever the arrival order; many (delivery) keeps all', () => {
    const { job, events, of } = start();
    for (const input of normalPurchase(7, T0)) job.ingest(input);
    // Later callback first, then an earlier one: the earlier replaces it; a third, later one is ignored.
    job.ingest(purchaseRecord('channel_callback', 7, T0 + 30_000));
    job.ingest(purchaseRecord('channel_callback', 7, T0 + 33_000));
    job.ingest(purchaseRecord('delivery', 7, T0 + 36_000));
    job.advanceWatermark(Number.POSITIVE_INFINITY);
    expect(records(events, 'channel_callback')).toEqual([T0 + 30_000]);
    expect(records(events, 'delivery')).toEqual([T0 + 35_000, T0 + 36_000]);
    expect(of('orphan')).toEqual([]);
    const versions = of('session').length;
    expect(versions).toBe(6); // complete, 2 supplements, replacement, delivery, final: the ignored callback adds none
  });
});

describe('state size', () => {
  it('forgets sessions and their exposed join keys once the watermark has passed them', () => {
    const { job } = start();
    for (let n = 0; n < 50; n++)
      for (const input of normalPurchase(n, T0 + n * MIN)) job.ingest(input);
    expect(job.liveSessionCount).toBe(50);
    expect(job.exposedKeyCount).toBe(100); // trans_id for channel_callback, order id for delivery
    job.advanceWatermark(Number.POSITIVE_INFINITY);
    expect(job.liveSessionCount).toBe(0);
    expect(job.heldSessionCount).toBe(0);
    expect(job.exposedKeyCount).toBe(0);
  });

  it('counts windows that have not fired yet among the held sessions', () => {
    const { job } = start();
    // Only the first baseline record of each order: incomplete, so nothing fires.
    for (let n = 0; n < 20; n++) job.ingest(normalPurchase(n, T0 + n * MIN)[0]!);
    expect(job.liveSessionCount).toBe(0);
    expect(job.heldSessionCount).toBe(20);
    // Part way: some windows fired final (some of them held for their joins), the rest still open.
    job.advanceWatermark(T0 + 40 * MIN);
    const state = job.snapshot();
    const held = state.windows.slots.length + state.sessions.filter((s) => !s.windowOpen).length;
    expect(job.liveSessionCount).toBeGreaterThan(0);
    expect(state.windows.slots.length).toBeGreaterThan(0);
    expect(job.heldSessionCount).toBe(held);
    job.advanceWatermark(Number.POSITIVE_INFINITY);
    expect(job.heldSessionCount).toBe(0);
  });
});

describe('session ids', () => {
  it('reads the window start back from an id of this template and key, and nothing else', () => {
    const id = sessionIdFor('in-app-purchase', 'O/7', T0);
    expect(sessionStartOf('in-app-purchase', 'O/7', id)).toBe(T0);
    expect(sessionStartOf('in-app-purchase', 'O', id)).toBeNull();
    expect(sessionStartOf('other', 'O/7', id)).toBeNull();
    expect(sessionStartOf('in-app-purchase', 'O/7', `${id}x`)).toBeNull();
    expect(sessionStartOf('in-app-purchase', 'O/7', 'in-app-purchase/O/7/')).toBeNull();
  });
});
