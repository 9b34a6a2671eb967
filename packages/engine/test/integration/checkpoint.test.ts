import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CompiledTemplate, FieldValue } from '@weft/templates';
import {
  CorrelationJob,
  SnapshotFormatError,
  SnapshotInCallbackError,
  SnapshotMismatchError,
} from '../../src/index.js';
import type { CorrelationJobOptions, JobEvent, JobSnapshot, RawInput } from '../../src/index.js';
import { purchaseRecord, purchaseTemplate } from '../support/in-app-purchase.js';
import type { PurchaseStep } from '../support/in-app-purchase.js';

const runs = Number(process.env.WEFT_PROPERTY_RUNS ?? 200);
const T0 = 1_764_000_000_000;
const OOO = 10_000;

const templates: Record<string, CompiledTemplate> = {
  allNodes: purchaseTemplate(),
  // Expression completeness keeps the elements themselves as trigger state.
  expression: purchaseTemplate((t) => {
    t.baseline.earlyFire = { expr: 'has_node.pay_done && has_node.receipt' };
  }),
};

const catalog = (fields: Readonly<Record<string, FieldValue>>): Record<string, FieldValue> => ({
  item_name: `item ${String(fields.item_id)}`,
  category: 'gems',
  price_cents: 600,
});

type Op =
  | { readonly kind: 'ingest'; readonly input: RawInput }
  | { readonly kind: 'watermark'; readonly at: number }
  | { readonly kind: 'processingTime'; readonly at: number };

const steps: PurchaseStep[] = [
  'client_order',
  'pay_page',
  'receipt',
  'pay_done',
  'channel_callback',
  'delivery',
];

/**
 * Records of up to 4 orders over an hour (merging and splitting sessions),
 * arriving in an order up to 3× the out-of-orderness apart (so some are
 * late), each followed by optional watermark and processing-time steps; a
 * final watermark at +∞ half of the time.
 */
const opsArb = fc
  .tuple(
    fc.array(
      fc.record({
        n: fc.integer({ min: 0, max: 3 }),
        step: fc.constantFrom(...steps),
        second: fc.integer({ min: 0, max: 3600 }),
        variant: fc.integer({ min: 0, max: 1 }),
        delay: fc.integer({ min: 0, max: 3 * OOO }),
        watermark: fc.option(fc.integer({ min: 0, max: 3 * OOO }), { nil: undefined }),
        clock: fc.constantFrom(0, 0, 1_000, 30_000, 150_000),
      }),
      { maxLength: 30 },
    ),
    fc.boolean(),
  )
  .map(([records, finish]) => {
    const ops: Op[] = [];
    let maxTs = Number.NEGATIVE_INFINITY;
    let now = 0;
    const arrivals = records
      .map((r, i) => ({ ...r, ts: T0 + r.second * 1000, i }))
      .sort((a, b) => a.ts + a.delay - (b.ts + b.delay) || a.i - b.i);
    for (const a of arrivals) {
      ops.push({ kind: 'ingest', input: purchaseRecord(a.step, a.n, a.ts, a.variant) });
      maxTs = Math.max(maxTs, a.ts);
      if (a.watermark !== undefined) ops.push({ kind: 'watermark', at: maxTs - a.watermark - 1 });
      if (a.clock > 0) ops.push({ kind: 'processingTime', at: (now += a.clock) });
    }
    if (finish) ops.push({ kind: 'watermark', at: Number.POSITIVE_INFINITY });
    return ops;
  });

function apply(job: CorrelationJob, op: Op): void {
  if (op.kind === 'ingest') job.ingest(op.input);
  else if (op.kind === 'watermark') job.advanceWatermark(op.at);
  else job.advanceProcessingTime(op.at);
}

function options(events: JobEvent[], enrich: boolean, coalesce: boolean): CorrelationJobOptions {
  return { emit: (e) => events.push(e), coalesce, ...(enrich ? { enrich: catalog } : {}) };
}

describe('CorrelationJob checkpoints', () => {
  it('a job restored from a JSON round-tripped snapshot emits byte-identical events after the cut', () => {
    fc.assert(
      fc.property(
        opsArb.chain((ops) =>
          fc.tuple(
            fc.constant(ops),
            fc.integer({ min: 0, max: ops.length }),
            fc.constantFrom(...Object.keys(templates)),
            fc.boolean(),
            fc.boolean(),
          ),
        ),
        ([ops, cut, name, enrich, coalesce]) => {
          const compiled = templates[name]!;
          const whole: JobEvent[] = [];
          const uninterrupted = new CorrelationJob(compiled, options(whole, enrich, coalesce));
          let atCut = 0;
          ops.forEach((op, i) => {
            if (i === cut) atCut = whole.length;
            apply(uninterrupted, op);
          });
          if (cut === ops.length) atCut = whole.length;

          const before: JobEvent[] = [];
          const first = new CorrelationJob(compiled, options(before, enrich, coalesce));
          for (const op of ops.slice(0, cut)) apply(first, op);
          const snapshot = first.snapshot();
          const stored = JSON.stringify(snapshot);
          const after: JobEvent[] = [];
          const restored = CorrelationJob.restore(
            compiled,
            JSON.parse(stored) as JobSnapshot,
            options(after, enrich, coalesce),
          );
          expect(JSON.stringify(restored.snapshot())).toBe(stored);
          expect(restored.currentWatermark).toBe(first.currentWatermark);
          expect(restored.liveSessionCount).toBe(first.liveSessionCount);
          // Held sessions, counted incrementally, equal a count from the state itself.
          const heldInState =
            snapshot.windows.slots.length + snapshot.sessions.filter((s) => !s.windowOpen).length;
          expect(first.heldSessionCount).toBe(heldInState);
          expect(restored.heldSessionCount).toBe(heldInState);
          expect(restored.pendingSupplementCount).toBe(first.pendingSupplementCount);
          for (const op of ops.slice(cut)) apply(restored, op);

          expect(JSON.stringify(before)).toBe(JSON.stringify(whole.slice(0, atCut)));
          expect(JSON.stringify(after)).toBe(JSON.stringify(whole.slice(atCut)));
        },
      ),
      { numRuns: runs },
    );
  });
});

describe('CorrelationJob.restore rejects snapshots it cannot continue from', () => {
  const compiled = templates.allNodes!;
  /** A job holding an open window, a fired session and a waiting supplement. */
  function snapshotOfBusyJob(): JobSnapshot {
    const job = new CorrelationJob(compiled, { emit: () => {} });
    for (const step of ['client_order', 'pay_page', 'receipt', 'pay_done'] as const)
      job.ingest(purchaseRecord(step, 1, T0));
    job.ingest(purchaseRecord('client_order', 2, T0));
    job.ingest(purchaseRecord('channel_callback', 3, T0));
    const snapshot = JSON.parse(JSON.stringify(job.snapshot())) as JobSnapshot;
    expect(snapshot.sessions.length).toBe(1);
    expect(snapshot.windows.slots.length).toBe(2);
    expect(snapshot.pendingSupplements.entries.length).toBe(1);
    return snapshot;
  }
  const restore = (snapshot: unknown, with_ = compiled) =>
    CorrelationJob.restore(with_, snapshot as JobSnapshot, { emit: () => {} });

  it('names both template versions when the version differs', () => {
    const next = purchaseTemplate((t) => {
      t.version = Number(t.version) + 1;
    });
    const v = compiled.template.version;
    expect(() => restore(snapshotOfBusyJob(), next)).toThrow(SnapshotMismatchError);
    expect(() => restore(snapshotOfBusyJob(), next)).toThrow(
      `taken with template "${compiled.template.id}" version ${v}, but this job runs "${compiled.template.id}" version ${v + 1}`,
    );
  });

  it('names both template ids when the template differs', () => {
    const other = purchaseTemplate((t) => {
      t.id = 'other_purchase';
    });
    const { id, version } = compiled.template;
    expect(() => restore(snapshotOfBusyJob(), other)).toThrow(
      `taken with template "${id}" version ${version}, but this job runs "other_purchase" version ${version}`,
    );
  });

  it('rejects an unknown format, naming it and the expected one', () => {
    const snapshot = { ...snapshotOfBusyJob(), format: 'weft.job-snapshot/0' };
    expect(() => restore(snapshot)).toThrow(SnapshotFormatError);
    expect(() => restore(snapshot)).toThrow(
      'format is "weft.job-snapshot/0", expected "weft.job-snapshot/1"',
    );
    expect(() => restore(null)).toThrow('format is missing');
    expect(() => restore('{"format":"weft.job-snapshot/1"}')).toThrow(SnapshotFormatError);
  });

  it('rejects a malformed snapshot with the path of each problem', () => {
    const snapshot = snapshotOfBusyJob() as unknown as {
      watermark: unknown;
      sessions: { version?: number }[];
    };
    snapshot.watermark = 'soon';
    delete snapshot.sessions[0]!.version;
    expect(() => restore(snapshot)).toThrow(SnapshotFormatError);
    expect(() => restore(snapshot)).toThrow(/malformed job snapshot \(2 problem\(s\)\).*watermark/);
    expect(() => restore(snapshot)).toThrow(/sessions\.0\.version/);
  });

  it('rejects references to records, windows or sessions the snapshot does not hold', () => {
    const records = structuredClone(snapshotOfBusyJob()) as unknown as {
      pendingSupplements: { entries: { record: number }[] };
    };
    records.pendingSupplements.entries[0]!.record = 99;
    expect(() => restore(records)).toThrow(/refers to record #99, but it holds \d+/);
    const windows = snapshotOfBusyJob() as unknown as {
      windows: { eventTimers: { timers: number[][] } };
    };
    windows.windows.eventTimers.timers[0]![2] = 7;
    expect(() => restore(windows)).toThrow(/refers to window #7, but it holds 2/);
    const sessions = snapshotOfBusyJob();
    const removals = { nextSeq: 1, timers: [[T0, 0, 3]] };
    expect(() => restore({ ...sessions, sessionRemovals: removals })).toThrow(
      /refers to session #3, but it holds 1/,
    );
  });

  it('restores from its parsed copy: defaults filled in, unknown keys dropped', () => {
    const snapshot = snapshotOfBusyJob() as unknown as {
      records: Record<string, unknown>[];
      extra?: string;
    };
    for (const record of snapshot.records) delete record.late;
    snapshot.extra = 'ignored';
    const events: JobEvent[] = [];
    const job = CorrelationJob.restore(compiled, snapshot as unknown as JobSnapshot, {
      emit: (e) => events.push(e),
    });
    job.advanceWatermark(Number.POSITIVE_INFINITY);
    const records = events.flatMap((e) =>
      e.type === 'session' ? e.session.nodes.flatMap((n) => n.records) : [],
    );
    expect(records.length).toBeGreaterThan(0);
    expect(records.every((r) => r.late === false)).toBe(true);
    expect(JSON.stringify(job.snapshot())).not.toContain('ignored');
  });

  it('refuses a snapshot taken from inside emit', () => {
    let caught: unknown;
    const job: CorrelationJob = new CorrelationJob(compiled, {
      emit: () => {
        try {
          job.snapshot();
        } catch (error) {
          caught = error;
        }
      },
    });
    for (const step of ['client_order', 'pay_page', 'receipt', 'pay_done'] as const)
      job.ingest(purchaseRecord(step, 1, T0));
    expect(caught).toBeInstanceOf(SnapshotInCallbackError);
    expect(job.snapshot().sessions.length).toBe(1);
  });
});
