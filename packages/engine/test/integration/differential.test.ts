import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Orphan, Session } from '@weft/templates';
import { CorrelationJob, latestSessions, reprocessLate, runBatch } from '../../src/index.js';
import type { JobEvent, RawInput } from '../../src/index.js';
import { purchaseRecord, purchaseTemplate } from '../support/in-app-purchase.js';
import type { PurchaseStep } from '../support/in-app-purchase.js';
import { naiveCorrelate } from '../support/naive-oracle.js';
import type { OracleResult } from '../support/naive-oracle.js';

const runs = Number(process.env.WEFT_PROPERTY_RUNS ?? 200);
const compiled = purchaseTemplate();
const OOO = 10_000; // the template's out-of-orderness
const T0 = 1_764_000_000_000;

/**
 * Records of up to 4 orders spread over an hour (gap 20 min, so orders split
 * and merge), at most one pay_done per order (so a supplement's session is
 * unambiguous), supplements near the pay_done or anywhere, and duplicated lines.
 */
const inputArb = fc
  .array(
    fc.record({
      n: fc.integer({ min: 0, max: 3 }),
      step: fc.constantFrom<PurchaseStep>(
        'client_order',
        'pay_page',
        'receipt',
        'channel_callback',
        'delivery',
      ),
      second: fc.integer({ min: 0, max: 3600 }),
      variant: fc.integer({ min: 0, max: 2 }),
    }),
    { maxLength: 24 },
  )
  .chain((rest) =>
    fc
      .array(
        fc.record({ n: fc.integer({ min: 0, max: 3 }), second: fc.integer({ min: 0, max: 3600 }) }),
        {
          maxLength: 4,
        },
      )
      .map((payDone) => {
        const seen = new Set<number>();
        const inputs: RawInput[] = [];
        for (const p of payDone) {
          if (seen.has(p.n)) continue;
          seen.add(p.n);
          inputs.push(purchaseRecord('pay_done', p.n, T0 + p.second * 1000));
        }
        for (const r of rest)
          inputs.push(purchaseRecord(r.step, r.n, T0 + r.second * 1000, r.variant));
        return inputs;
      }),
  );

interface Arrival {
  input: RawInput;
  ts: number;
  delay: number;
}

function eventTime(input: RawInput): number {
  const out = compiled.extractor(input.source).extract(JSON.parse(input.raw));
  if (!out.ok) throw new Error(out.reason);
  return out.eventTime;
}

/**
 * Streams inputs in order of `ts + delay`, with watermark maxTs - OOO - 1
 * after each and some processing time; `coalesce` holds session updates
 * until each advance.
 */
function stream(arrivals: Arrival[], coalesce = false): JobEvent[] {
  const events: JobEvent[] = [];
  const job = new CorrelationJob(compiled, { emit: (e) => events.push(e), coalesce });
  let maxTs = Number.NEGATIVE_INFINITY;
  arrivals
    .map((a, i) => ({ ...a, i }))
    .sort((a, b) => a.ts + a.delay - (b.ts + b.delay) || a.i - b.i)
    .forEach((a, step) => {
      job.ingest(a.input);
      maxTs = Math.max(maxTs, a.ts);
      job.advanceWatermark(maxTs - OOO - 1);
      job.advanceProcessingTime(step * 30_000);
    });
  job.advanceWatermark(Number.POSITIVE_INFINITY);
  return events;
}

/** Applies the late side queue to the stored state through reprocessLate, in queue order. */
function reprocessAll(events: JobEvent[]): { sessions: Session[]; orphans: Orphan[] } {
  const store = new Map(latestSessions(events).map((s) => [s.sessionId, s]));
  let orphans = events.flatMap((e) => (e.type === 'orphan' ? [e.orphan] : []));
  for (const event of events) {
    if (event.type !== 'late') continue;
    const outcome = reprocessLate({ sessions: [...store.values()], orphans }, event.late, compiled);
    for (const r of outcome.retractions) store.delete(r.sessionId);
    for (const s of outcome.sessions) store.set(s.sessionId, s);
    orphans = orphans.filter((o) => !outcome.adoptedOrphans.includes(o));
    if (outcome.orphan !== null) orphans.push(outcome.orphan);
  }
  return { sessions: [...store.values()], orphans };
}

/** The comparable content: per session its key and record ids per node; orphan record ids. */
function project(sessions: readonly Session[], orphans: readonly Orphan[]): OracleResult {
  return {
    sessions: sessions
      .map((s) => ({
        businessKey: s.businessKey,
        nodes: Object.fromEntries(
          s.nodes.map((n) => [n.node, n.records.map((r) => r.recordId).sort()]),
        ),
        first: Math.min(
          ...s.nodes
            .filter((n) => n.kind === 'baseline')
            .flatMap((n) => n.records.map((r) => r.eventTime)),
        ),
      }))
      .sort((a, b) =>
        a.businessKey < b.businessKey ? -1 : a.businessKey > b.businessKey ? 1 : a.first - b.first,
      )
      .map(({ businessKey, nodes }) => ({ businessKey, nodes })),
    orphans: orphans.map((o) => o.record.recordId).sort(),
  };
}

/** Session ids in key and start order: a session's id must not depend on arrival order either. */
function idsOf(sessions: readonly Session[]): string[] {
  return sessions.map((s) => s.sessionId).sort();
}

function projectEvents(events: JobEvent[]): OracleResult {
  return project(
    latestSessions(events),
    events.flatMap((e) => (e.type === 'orphan' ? [e.orphan] : [])),
  );
}

describe('correlation job, differential against batch mode and a naive oracle', () => {
  it('batch mode equals the naive oracle', () => {
    fc.assert(
      fc.property(inputArb, (inputs) => {
        expect(projectEvents(runBatch(compiled, inputs))).toEqual(naiveCorrelate(compiled, inputs));
      }),
      { numRuns: runs },
    );
  });

  it('any arrival order within the out-of-orderness gives the final sessions of batch mode', () => {
    fc.assert(
      fc.property(
        inputArb.chain((inputs) =>
          fc.tuple(
            fc.constant(inputs),
            fc.array(fc.integer({ min: 0, max: OOO }), {
              minLength: inputs.length,
              maxLength: inputs.length,
            }),
            fc.boolean(),
          ),
        ),
        ([inputs, delays, coalesce]) => {
          const events = stream(
            inputs.map((input, i) => ({ input, ts: eventTime(input), delay: delays[i]! })),
            coalesce,
          );
          expect(events.filter((e) => e.type === 'late')).toEqual([]);
          const batch = runBatch(compiled, inputs);
          expect(projectEvents(events)).toEqual(projectEvents(batch));
          expect(idsOf(latestSessions(events))).toEqual(idsOf(latestSessions(batch)));
        },
      ),
      { numRuns: runs },
    );
  });

  it('with records beyond the out-of-orderness, late reprocessing brings the final sessions to batch mode', () => {
    fc.assert(
      fc.property(
        inputArb.chain((inputs) =>
          fc.tuple(
            fc.constant(inputs),
            fc.array(
              fc.oneof(fc.integer({ min: 0, max: OOO }), fc.integer({ min: 0, max: 3 * 3600_000 })),
              {
                minLength: inputs.length,
                maxLength: inputs.length,
              },
            ),
            fc.boolean(),
          ),
        ),
        ([inputs, delays, coalesce]) => {
          const events = stream(
            inputs.map((input, i) => ({ input, ts: eventTime(input), delay: delays[i]! })),
            coalesce,
          );
          const after = reprocessAll(events);
          const batch = runBatch(compiled, inputs);
          expect(project(after.sessions, after.orphans)).toEqual(projectEvents(batch));
          expect(idsOf(after.sessions)).toEqual(idsOf(latestSessions(batch)));
        },
      ),
      { numRuns: runs },
    );
  });

  it('is deterministic, keeps session ids stable, and only retracts sessions it emitted before', () => {
    fc.assert(
      fc.property(
        inputArb.chain((inputs) =>
          fc.tuple(
            fc.constant(inputs),
            fc.array(fc.integer({ min: 0, max: 3 * OOO }), {
              minLength: inputs.length,
              maxLength: inputs.length,
            }),
            fc.boolean(),
          ),
        ),
        ([inputs, delays, coalesce]) => {
          const arrivals = inputs.map((input, i) => ({
            input,
            ts: eventTime(input),
            delay: delays[i]!,
          }));
          const events = stream(arrivals, coalesce);
          expect(JSON.stringify(stream(arrivals, coalesce))).toBe(JSON.stringify(events));
          const emitted = new Map<string, { key: string; version: number }>();
          for (const e of events) {
            if (e.type === 'session') {
              const before = emitted.get(e.session.sessionId);
              if (before !== undefined) {
                expect(e.session.businessKey).toBe(before.key);
                expect(e.session.version).toBeGreaterThan(before.version);
              }
              emitted.set(e.session.sessionId, {
                key: e.session.businessKey,
                version: e.session.version,
              });
            } else if (e.type === 'retraction') {
              const before = emitted.get(e.retraction.sessionId);
              expect(before).toBeDefined();
              expect(e.retraction.version).toBeGreaterThan(before!.version);
              expect(emitted.has(e.retraction.mergedInto)).toBe(true);
            }
          }
        },
      ),
      { numRuns: runs },
    );
  });

  it('a long stream (thousands of queued timers, swept in bulk) gives the sessions of the naive oracle', () => {
    // 300 orders 2 s apart with every step, some twice, arriving shuffled within the
    // out-of-orderness: enough windows grow at once that the timer queues are swept often.
    const inputs: RawInput[] = [];
    for (let n = 0; n < 300; n++) {
      const t0 = T0 + n * 2_000;
      inputs.push(
        purchaseRecord('client_order', n, t0),
        purchaseRecord('pay_page', n, t0 + 2_000, 0),
        purchaseRecord('pay_page', n, t0 + 4_000, 1),
        purchaseRecord('receipt', n, t0 + 12_000),
        purchaseRecord('channel_callback', n, t0 + 31_000),
        purchaseRecord('delivery', n, t0 + 35_000, n % 3),
      );
      if (n % 4 !== 0) inputs.push(purchaseRecord('pay_done', n, t0 + 30_000));
      if (n % 5 === 0) inputs.push(purchaseRecord('client_order', n, t0));
    }
    let seed = 7;
    const arrivals = inputs.map((input) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return { input, ts: eventTime(input), delay: seed % OOO };
    });
    for (const coalesce of [false, true]) {
      const events = stream(arrivals, coalesce);
      expect(events.filter((e) => e.type === 'late')).toEqual([]);
      expect(projectEvents(events)).toEqual(naiveCorrelate(compiled, inputs));
      // Every window's final timer fired: each session's last version is closed.
      expect(latestSessions(events).filter((s) => s.status !== 'closed')).toEqual([]);
    }
  });
});
