import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Session } from '@weft/templates';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentOf, scratchDir, storedSessions, weft } from './integration/live-harness.js';
import { inAppPurchaseTemplate } from './support/bounded-correlate.js';
import { storeBackends } from './support/store-backends.js';

const EPOCH_VERSIONS = 1_000_000;

/** Runs the built `weft backfill`, expecting success; returns its summary line. */
function backfill(...args: string[]): string {
  const run = weft(['backfill', ...args]);
  expect(run.status, run.stderr).toBe(0);
  return run.stdout.trim();
}

const byId = (sessions: readonly Session[]) =>
  new Map(sessions.map((session) => [session.sessionId, session]));

describe.each(storeBackends)('weft backfill into $name', (backend) => {
  let scratch: { path: string; dispose(): Promise<void> };
  let input: string;
  const stores: { drop(): Promise<void> }[] = [];
  const store = async () => {
    const created = await backend.fresh();
    stores.push(created);
    return created.url;
  };

  beforeAll(async () => {
    scratch = await scratchDir();
    input = join(scratch.path, 'history');
    const simulated = weft(['simulate', '--out', input, '--orders', '80', '--seed', '12']);
    expect(simulated.status, simulated.stderr).toBe(0);
  });

  afterAll(async () => {
    await Promise.all(stores.map((created) => created.drop()));
    await scratch.dispose();
  });

  it('stores what `weft correlate` stores, in an epoch of at least its template version, and a rerun the same in the next epoch', async () => {
    const correlated = await store();
    const run = weft([
      'correlate',
      '--template',
      inAppPurchaseTemplate,
      '--input',
      input,
      '--db',
      correlated,
    ]);
    expect(run.status, run.stderr).toBe(0);
    const db = await store();

    const summary = backfill('--template', inAppPurchaseTemplate, '--input', input, '--db', db);
    expect(summary).toMatch(
      /^backfilled in-app-purchase: \d+ inputs .*; template version 1; epoch 1$/u,
    );

    const expected = await storedSessions(correlated, 'in-app-purchase');
    const first = await storedSessions(db, 'in-app-purchase');
    expect(first.length).toBeGreaterThanOrEqual(80);
    expect(first.map(contentOf).sort()).toEqual(expected.map(contentOf).sort());
    // Both claimed the first epoch of a fresh store (at least template version 1): same versions.
    const correlatedVersions = byId(expected);
    for (const session of first) {
      expect(session.version).toBeGreaterThan(EPOCH_VERSIONS);
      expect(session.version).toBe(correlatedVersions.get(session.sessionId)?.version);
    }

    // The newest writer wins: a rerun claims the next epoch and stores the same sessions in it.
    expect(backfill('--template', inAppPurchaseTemplate, '--input', input, '--db', db)).toBe(
      summary.replace(/epoch 1$/u, 'epoch 2'),
    );
    expect(await storedSessions(db, 'in-app-purchase')).toEqual(
      first.map((session) => ({ ...session, version: session.version + EPOCH_VERSIONS })),
    );
  });

  it('with a newer template version, writes new session versions that carry it; an older one run later wins again', async () => {
    const db = await store();
    backfill('--template', inAppPurchaseTemplate, '--input', input, '--db', db);
    const before = byId(await storedSessions(db, 'in-app-purchase'));

    const definition = JSON.parse(await readFile(inAppPurchaseTemplate, 'utf8')) as {
      version: number;
      conclusions: { label: string }[];
    };
    definition.version = 2;
    for (const conclusion of definition.conclusions) conclusion.label = `v2 ${conclusion.label}`;
    const v2 = join(scratch.path, 'in-app-purchase-v2.json');
    await writeFile(v2, JSON.stringify(definition));
    expect(backfill('--template', v2, '--input', input, '--db', db)).toMatch(
      /template version 2; epoch 2$/u,
    );

    const after = await storedSessions(db, 'in-app-purchase');
    expect(after).toHaveLength(before.size);
    for (const session of after) {
      const old = before.get(session.sessionId);
      expect(old?.templateVersion).toBe(1);
      expect(session.templateVersion).toBe(2);
      expect(session.version).toBeGreaterThan(2 * EPOCH_VERSIONS);
      expect(session.verdicts.every((verdict) => verdict.label.startsWith('v2 '))).toBe(true);
    }

    expect(backfill('--template', inAppPurchaseTemplate, '--input', input, '--db', db)).toMatch(
      /template version 1; epoch 3$/u,
    );
    for (const session of await storedSessions(db, 'in-app-purchase')) {
      expect(session.templateVersion).toBe(1);
      expect(session.version).toBeGreaterThan(3 * EPOCH_VERSIONS);
    }
  });

  it('replays only the records inside --from/--to (event time)', async () => {
    const all = (await storedSessions(await fullStore(), 'in-app-purchase')).flatMap((s) =>
      s.nodes.flatMap((node) => node.records.map((record) => record.eventTime)),
    );
    all.sort((a, b) => a - b);
    const from = all[Math.floor(all.length / 3)] as number;
    const to = all[Math.floor((2 * all.length) / 3)] as number;
    const db = await store();

    const summary = backfill(
      '--template',
      inAppPurchaseTemplate,
      '--input',
      input,
      '--db',
      db,
      '--from',
      new Date(from).toISOString(),
      '--to',
      String(to),
    );
    const outside = /; (\d+) records outside \[/u.exec(summary)?.[1];
    expect(Number(outside)).toBeGreaterThan(all.length / 3);

    const kept = (await storedSessions(db, 'in-app-purchase')).flatMap((s) =>
      s.nodes.flatMap((node) => node.records.map((record) => record.eventTime)),
    );
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThan(all.length);
    for (const at of kept) {
      expect(at).toBeGreaterThanOrEqual(from);
      expect(at).toBeLessThan(to);
    }
  });

  /** A store holding the full backfill of the simulated history. */
  async function fullStore(): Promise<string> {
    const db = await store();
    backfill('--template', inAppPurchaseTemplate, '--input', input, '--db', db);
    return db;
  }
});

describe('weft backfill rejects bad flags, naming them', () => {
  const run = (...args: string[]) =>
    weft(['backfill', '--template', inAppPurchaseTemplate, ...args]);

  it.each([
    [
      ['--input', '.', '--db', 'sqlite:x.db', '--from', 'yesterday'],
      /--from: "yesterday" is not an ISO 8601 time/u,
    ],
    [
      ['--input', '.', '--db', 'sqlite:x.db', '--from', '2026-11-24', '--to', '2026-11-23'],
      /--from \(2026-11-24\) must be before --to \(2026-11-23\)/u,
    ],
    [['--input', '.', '--db', 'postgres://x'], /--db: must be mysql:\/\/user/u],
    [['--input', '.', '--db', 'sqlite:x.db', '--batch-max-records', '0'], /--batch-max-records: /u],
  ])('%j', (args, message) => {
    const result = run(...args);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe('');
  });

  it('names --input when a file is not named after a template source', async () => {
    const scratch = await scratchDir();
    try {
      const file = join(scratch.path, 'orders.ndjson');
      await writeFile(file, '{}\n');
      const result = run('--input', file, '--db', `sqlite:${join(scratch.path, 'w.db')}`);
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(
        /orders\.ndjson is not named after a template source or dimension table: --input takes/u,
      );
    } finally {
      await scratch.dispose();
    }
  });
});
