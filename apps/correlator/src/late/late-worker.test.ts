import { CorrelationJob, latestSessions, prepareRecord, runBatch } from '@weft/engine';
import type { JobEvent } from '@weft/engine';
import { createSimulation } from '@weft/simulator';
import { applyMigrations, openStore } from '@weft/storage';
import type { Store } from '@weft/storage';
import { compileTemplate } from '@weft/templates';
import type { Orphan, Session } from '@weft/templates';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../logging.js';
import { createMetrics } from '../metrics.js';
import { createStoreSink, toBatch } from '../pipeline/index.js';
import type { SinkItem } from '../pipeline/index.js';
import { toSinkItem } from '../run/index.js';
import { exampleTemplate } from '../../test/support/example-orders.js';
import { createLateWorker } from './late-worker.js';
import { PendingLate } from './pending-late.js';

const template = exampleTemplate;
const compiled = compileTemplate(template);
const OUT_OF_ORDERNESS = 10_000;

/** Simulated lines in arrival order, with 1–3 h late records and delivery delays beyond the bound. */
function simulatedLines(seed: number): { source: string; raw: string }[] {
  const lines: { source: string; raw: string }[] = [];
  const simulation = createSimulation({
    scenario: 'in-app-purchase',
    orders: 80,
    seed,
    faults: 'late-data=0.15',
  });
  for (const event of simulation.events()) {
    if (event.type === 'record') lines.push({ source: event.source, raw: event.line });
  }
  return lines;
}

/** Per session: key and record ids per node; orphan record ids — what batch equality compares. */
function project(sessions: readonly Session[], orphans: readonly Orphan[]) {
  return {
    sessions: sessions
      .map((s) => ({
        key: s.businessKey,
        nodes: Object.fromEntries(
          s.nodes.map((n) => [n.node, n.records.map((r) => r.recordId).sort()]),
        ),
      }))
      .sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1)),
    orphans: orphans.map((o) => o.record.recordId).sort(),
  };
}

describe('late reprocessing against the stored sessions (SQLite store)', () => {
  let store: Store;
  beforeEach(async () => {
    store = await openStore('sqlite::memory:');
    await applyMigrations(store);
  });
  afterEach(async () => {
    await store.close();
  });

  it('a live run with its late side queue ends with the sessions and orphans of batch mode', async () => {
    const lines = simulatedLines(17);
    const sink = createStoreSink(store);
    let queued: SinkItem[] = [];
    const flush = async (): Promise<void> => {
      const items = queued;
      queued = [];
      if (items.length > 0) await sink.write(toBatch(items));
    };
    const pending = new PendingLate(template);
    const metrics = createMetrics({ processMetrics: false });
    const worker = createLateWorker({
      pending,
      store,
      compiled: () => compiled,
      flush,
      emit: (items) => queued.push(...items),
      metrics,
      logger: createLogger({ level: 'silent' }),
      now: () => 0,
    });
    const events: JobEvent[] = [];
    const job = new CorrelationJob(compiled, { emit: (e) => events.push(e) });
    let lateSeen = 0;
    let heldBack = 0;
    /** The live loop: job outputs to the store, late records to the side queue, the worker on each watermark. */
    const step = async (): Promise<void> => {
      for (const event of events.splice(0)) {
        if (event.type === 'late') {
          lateSeen++;
          pending.add(event.late);
        } else queued.push(toSinkItem(event, 0));
      }
      worker.schedule(job.currentWatermark);
      await worker.idle();
      heldBack = Math.max(heldBack, pending.size);
    };
    let maxTs = Number.NEGATIVE_INFINITY;
    for (const line of lines) {
      const prepared = prepareRecord(compiled, line, 0);
      if (!prepared.ok) continue;
      job.accept(prepared.routed);
      maxTs = Math.max(maxTs, prepared.routed.record.eventTime);
      job.advanceWatermark(maxTs - OUT_OF_ORDERNESS - 1);
      await step();
    }
    job.advanceWatermark(Number.POSITIVE_INFINITY);
    await step();
    await flush();

    expect(lateSeen).toBeGreaterThan(5);
    expect(heldBack).toBeGreaterThan(0); // some waited while the job still held their session
    expect(pending.size).toBe(0);
    const stored: Session[] = [];
    for await (const s of store.sessions.export({ templateId: template.id }))
      if (s.mergedInto === null) stored.push(s);
    const orphans = await store.orphans.list(template.id, { limit: 1000 });
    const batch = runBatch(compiled, lines);
    expect(project(stored, orphans)).toEqual(
      project(
        latestSessions(batch),
        batch.flatMap((e) => (e.type === 'orphan' ? [e.orphan] : [])),
      ),
    );
    const applied = (await metrics.lateReprocessed.get()).values;
    expect(applied.find((v) => v.labels.outcome === 'applied')?.value).toBeGreaterThan(0);
  });
});
