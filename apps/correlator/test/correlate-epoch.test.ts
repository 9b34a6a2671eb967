import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openStore } from '@weft/storage';
import type { Session } from '@weft/templates';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentOf, scratchDir, storedSessions, weft } from './integration/live-harness.js';
import { inAppPurchaseTemplate } from './support/bounded-correlate.js';
import { storeBackends } from './support/store-backends.js';

const EPOCH_VERSIONS = 1_000_000;

const byId = (sessions: readonly Session[]) =>
  new Map(sessions.map((session) => [session.sessionId, session]));

/**
 * `weft correlate --input` claims its epoch from the store like a backfill, so
 * it is the newest writer: what it stores replaces what a backfill or a live
 * run stored before it, instead of losing against their higher versions.
 */
describe.each(storeBackends)(
  'weft correlate --input after other writers, into $name',
  (backend) => {
    let scratch: { path: string; dispose(): Promise<void> };
    let input: string;
    let v2: string;
    const stores: { drop(): Promise<void> }[] = [];
    const store = async () => {
      const created = await backend.fresh();
      stores.push(created);
      return created.url;
    };
    /** Runs the built CLI to success; returns its summary line. */
    const run = (command: 'correlate' | 'backfill', template: string, db: string) => {
      const done = weft([command, '--template', template, '--input', input, '--db', db]);
      expect(done.status, done.stderr).toBe(0);
      return done.stdout.trim();
    };

    beforeAll(async () => {
      scratch = await scratchDir();
      input = join(scratch.path, 'orders');
      const simulated = weft(['simulate', '--out', input, '--orders', '60', '--seed', '13']);
      expect(simulated.status, simulated.stderr).toBe(0);
      const definition = JSON.parse(await readFile(inAppPurchaseTemplate, 'utf8')) as {
        version: number;
        conclusions: { label: string }[];
      };
      definition.version = 2;
      for (const conclusion of definition.conclusions) conclusion.label = `v2 ${conclusion.label}`;
      v2 = join(scratch.path, 'in-app-purchase-v2.json');
      await writeFile(v2, JSON.stringify(definition));
    });

    afterAll(async () => {
      await Promise.all(stores.map((created) => created.drop()));
      await scratch.dispose();
    });

    it('after a backfill, a changed template version replaces its sessions; the older one run later wins again', async () => {
      const db = await store();
      expect(run('backfill', inAppPurchaseTemplate, db)).toMatch(/; epoch 1$/u);
      const backfilled = await storedSessions(db, 'in-app-purchase');
      expect(backfilled.length).toBeGreaterThanOrEqual(60);
      const before = byId(backfilled);

      const summary = run('correlate', v2, db);
      const after = await storedSessions(db, 'in-app-purchase');
      expect(after.map((s) => s.sessionId).sort()).toEqual([...before.keys()].sort());
      for (const session of after) {
        expect(session.templateVersion).toBe(2);
        expect(session.version).toBeGreaterThan(before.get(session.sessionId)?.version ?? Infinity);
        expect(session.verdicts.every((verdict) => verdict.label.startsWith('v2 '))).toBe(true);
      }
      expect(summary).toMatch(/^correlated in-app-purchase: .*; epoch 2$/u);

      const rerun = run('correlate', inAppPurchaseTemplate, db);
      const again = await storedSessions(db, 'in-app-purchase');
      expect(again.every((session) => session.templateVersion === 1)).toBe(true);
      expect(again.map(contentOf).sort()).toEqual(backfilled.map(contentOf).sort());
      expect(rerun).toMatch(/; epoch 3$/u);
    });

    it("replaces what a live run stored in a later epoch than the bounded run's own", async () => {
      const db = await store();
      run('correlate', inAppPurchaseTemplate, db);
      const bounded = await storedSessions(db, 'in-app-purchase');

      // What a live run that claimed epoch 5 leaves: every session rewritten in its band.
      const opened = await openStore(db);
      try {
        const epoch = await opened.epochs.claim('in-app-purchase', 5);
        await opened.sessions.upsert(
          bounded.map((session) => ({
            ...session,
            version: epoch * EPOCH_VERSIONS + (session.version % EPOCH_VERSIONS),
            verdicts: session.verdicts.map((verdict) => ({
              ...verdict,
              label: `live ${verdict.label}`,
            })),
          })),
        );
      } finally {
        await opened.close();
      }
      const live = byId(await storedSessions(db, 'in-app-purchase'));

      const summary = run('correlate', v2, db);
      const after = await storedSessions(db, 'in-app-purchase');
      expect(after).toHaveLength(live.size);
      for (const session of after) {
        expect(session.version).toBeGreaterThan(live.get(session.sessionId)?.version ?? Infinity);
        expect(session.verdicts.every((verdict) => verdict.label.startsWith('v2 '))).toBe(true);
      }
      expect(summary).toMatch(/; epoch 6$/u);
    });
  },
);
