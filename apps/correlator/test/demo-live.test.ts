import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '@weft/storage';
import type { Session } from '@weft/templates';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDemoOptions } from '../src/demo/demo-options.js';
import { runDemo } from '../src/demo/run-demo.js';
import type { DemoResult } from '../src/demo/run-demo.js';

const BATCH_ORDERS = 20;
const RATE = 600;

/** The simulator's truth tag on a record's raw JSON: the true session it belongs to. */
function trueSessionOf(raw: unknown): string | undefined {
  const sim = (raw as { _sim?: { session?: string } } | null)?._sim;
  return sim?.session;
}

async function sessionsOf(dbUrl: string, templateId: string): Promise<Session[]> {
  const store = await openStore(dbUrl);
  try {
    const sessions: Session[] = [];
    for await (const session of store.sessions.export({ templateId })) sessions.push(session);
    return sessions;
  } finally {
    await store.close();
  }
}

/**
 * The demo's live phase in-process (`--no-web --rate N --duration S`): live
 * simulated traffic through the in-process log and `weft correlate`'s live
 * path into the demo's SQLite store, on the wall clock.
 */
/** `weft demo --no-web` in-process on the wall clock, with the batch and rate of this file. */
function runLiveDemo(dir: string, duration: string, out: (line: string) => void) {
  return runDemo(
    parseDemoOptions({
      data: dir,
      orders: String(BATCH_ORDERS),
      seed: '3',
      port: '3000',
      web: false,
      rate: String(RATE),
      duration,
    }),
    { out, now: Date.now, stopRequested: new Promise(() => {}) },
  );
}

describe('weft demo --no-web --rate 600 --duration 30', () => {
  let dir: string;
  let result: DemoResult;
  let liveFrom: number;
  const lines: string[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'weft-demo-live-'));
    liveFrom = Date.now();
    result = await runLiveDemo(dir, '30', (line) => lines.push(line));
  }, 180_000);

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('stops by itself after the duration and reports what each scenario sent and stored', () => {
    expect(lines).toContain('after 30 s: stopping …');
    expect(Object.keys(result.live?.produced ?? {}).sort()).toEqual([
      'bank-transfer',
      'in-app-purchase',
    ]);
    expect(result.live?.produced['in-app-purchase']).toBeGreaterThan(100);
    expect(result.live?.correlated['in-app-purchase']).toMatch(/sessions/u);
  });

  it.each(['in-app-purchase', 'bank-transfer'])(
    'stores %s sessions of the live traffic, each of one true session, none reusing a batch id',
    async (templateId) => {
      const sessions = await sessionsOf(result.data.dbUrl, templateId);
      const batch = sessions.filter((s) => s.start < liveFrom - 60_000);
      const live = sessions.filter((s) => s.start >= liveFrom - 60_000);
      expect(batch.length).toBeGreaterThanOrEqual(BATCH_ORDERS / 2);
      expect(live.length).toBeGreaterThan(5);
      const batchTruth = new Set(
        batch.flatMap((s) => s.nodes.flatMap((n) => n.records.map((r) => trueSessionOf(r.raw)))),
      );
      for (const session of live) {
        const truths = new Set(
          session.nodes.flatMap((n) => n.records.map((r) => trueSessionOf(r.raw))),
        );
        // Precision: a stored session never mixes records of two true sessions.
        expect([...truths].filter((t) => t !== undefined).length, session.sessionId).toBe(1);
        for (const truth of truths) expect(batchTruth.has(truth)).toBe(false);
      }
      expect(live.filter((s) => s.verdict !== null).length).toBeGreaterThan(0);
    },
  );

  it("enriches the live purchases from the traffic's item catalog, loaded into the store", async () => {
    const live = (await sessionsOf(result.data.dbUrl, 'in-app-purchase')).filter(
      (s) => s.start >= liveFrom - 60_000,
    );
    const withItem = live.filter(
      (s) => s.fields['item_id'] !== undefined && s.fields['item_id'] !== null,
    );
    expect(withItem.length).toBeGreaterThan(0);
    for (const session of withItem)
      expect(session.fields['item_name'], session.sessionId).toEqual(expect.any(String));
  });

  it('keeps the next free order index for the next live run', async () => {
    const state = JSON.parse(await readFile(join(dir, 'live.json'), 'utf8')) as {
      nextOrder: number;
    };
    expect(state.nextOrder).toBe(BATCH_ORDERS + RATE * 60);
  });

  it("continues after the first run's order ids in a second run, and stops at once when told to", async () => {
    const stopped = await runLiveDemo(dir, '0.05', () => undefined);
    expect(stopped.data.reused).toBe(true);
    expect(Object.keys(stopped.live?.correlated ?? {}).sort()).toEqual([
      'bank-transfer',
      'in-app-purchase',
    ]);
    // The second run took the order indexes after the first one's hour.
    const state = JSON.parse(await readFile(join(dir, 'live.json'), 'utf8')) as {
      nextOrder: number;
    };
    expect(state.nextOrder).toBe(BATCH_ORDERS + 2 * RATE * 60);
  }, 120_000);
});
