import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { applyMigrations, openStore } from '@weft/storage';
import type { Session } from '@weft/templates';
import { parseRetentionFlags, runRetention } from '../src/commands/retention.js';
import { UsageError } from '../src/errors.js';
import { inAppPurchaseTemplate } from './support/bounded-correlate.js';
import { weft } from './support/weft-cli.js';

const DAY = 86_400_000;
const NOW = Date.now();

function session(id: string, daysAgo: number): Session {
  const start = NOW - daysAgo * DAY;
  return {
    sessionId: id,
    templateId: 'order',
    templateVersion: 1,
    businessKey: `key-${id}`,
    version: 1,
    status: 'closed',
    fireReason: 'final',
    start,
    end: start + 60_000,
    nodes: [
      {
        node: 'create',
        kind: 'baseline',
        records: [
          {
            recordId: `r-${id}`,
            source: 'orders',
            eventTime: start,
            raw: { orderId: id },
            fields: { orderId: id },
            late: false,
          },
        ],
      },
    ],
    fields: { orderId: id, channel: 'app' },
    verdicts: [],
    verdict: null,
    mergedInto: null,
  };
}

let dir: string;
let url: string;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'weft-retention-'));
  url = `sqlite:${join(dir, 'weft.db')}`;
  const store = await openStore(url);
  try {
    await applyMigrations(store);
    await store.rollups.define('order', { dimensions: ['channel'], measures: [] });
    await store.sessions.upsert([
      session('old', 40),
      session('recent-week', 10),
      session('new', 1),
    ]);
    await store.orphans.add([
      {
        templateId: 'order',
        node: 'callback',
        record: {
          ...session('x', 0).nodes[0]!.records[0]!,
          recordId: 'cb-old',
          eventTime: NOW - 50 * DAY,
        },
        keys: { transId: 'T1' },
      },
    ]);
    await store.deadLetters.add([
      {
        templateId: 'order',
        source: 'orders',
        reason: 'not JSON',
        raw: '{',
        origin: {},
        at: NOW - 31 * DAY,
      },
      {
        templateId: 'order',
        source: 'orders',
        reason: 'not JSON',
        raw: '{{',
        origin: {},
        at: NOW - DAY,
      },
    ]);
  } finally {
    await store.close();
  }
});

afterEach(() => {
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

describe('weft retention', () => {
  it('deletes what is older than the policy and reports each kind', async () => {
    const lines = await weft('retention', '--db', url, '--max-age-days', '30', '--batch-size', '1');

    expect(lines).toEqual([
      expect.stringMatching(/^sessions ended before \S+Z: 1 deleted$/u),
      expect.stringMatching(/^orphans whose record is before \S+Z: 1 deleted$/u),
      expect.stringMatching(/^dead letters recorded before \S+Z: 1 deleted$/u),
      expect.stringMatching(
        /^minute rollup rows before \S+Z: 2 deleted \(hour and day rows are kept\)$/u,
      ),
    ]);
    const store = await openStore(url);
    try {
      expect(await store.sessions.get('old')).toBeUndefined();
      expect(await store.sessions.get('recent-week')).toBeDefined();
      expect(await store.orphans.list('order')).toEqual([]);
      expect((await store.deadLetters.list()).map((l) => l.raw)).toEqual(['{{']);
      const hourOf = (daysAgo: number) => Math.floor((NOW - daysAgo * DAY) / 3_600_000) * 3_600_000;
      const hour = await store.rollups.query({
        templateId: 'order',
        grain: 'hour',
        from: hourOf(40),
        to: hourOf(40) + 3_600_000,
        dimensions: ['channel'],
      });
      expect(hour.points.map((p) => p.sessions)).toEqual([1]);
    } finally {
      await store.close();
    }
    // Run again: nothing left to delete.
    expect(await weft('retention', '--db', url, '--max-age-days', '30')).toEqual([
      expect.stringMatching(/: 0 deleted$/u),
      expect.stringMatching(/: 0 deleted$/u),
      expect.stringMatching(/: 0 deleted$/u),
      expect.stringMatching(/: 0 deleted \(hour and day rows are kept\)$/u),
    ]);
  });

  it('takes the database from WEFT_DB when --db is not given', async () => {
    const out: string[] = [];
    const { outcome, links } = await runRetention(
      { maxAgeDays: '36500', minuteRollupDays: '36500' },
      { WEFT_DB: url },
      (line) => out.push(line),
    );
    expect(outcome).toMatchObject({ mode: 'purge', sessions: 0, minuteRollupRows: 0 });
    expect(links).toEqual([]); // no template in this store declares identity links
    expect(out).toHaveLength(4);
  });

  it('forgets identity links not seen for links.retention before the newest session', async () => {
    const template = JSON.parse(readFileSync(inAppPurchaseTemplate, 'utf8')) as { id: string };
    const newest = NOW - 2 * DAY;
    const store = await openStore(url);
    try {
      await store.templates.save({
        templateId: template.id,
        version: 1,
        status: 'published',
        definition: template,
      });
      await store.sessions.upsert([{ ...session('newest', 2), templateId: template.id }]);
      const edge = (key: string, lastSeen: number) => ({
        templateId: template.id,
        a: { kind: 'account', key },
        b: { kind: 'device', key: `D-${key}` },
        firstSeen: lastSeen - DAY,
        lastSeen,
        sessions: 1,
        version: 1,
      });
      // links.retention is 90d: before = newest − 90 days.
      await store.identityEdges.save([
        edge('gone', newest - 91 * DAY),
        edge('kept', newest - 89 * DAY),
      ]);
      const node = (kind: string, key: string, lastSeen: number) => ({
        templateId: template.id,
        kind,
        key,
        lastSeen,
        version: 1,
      });
      await store.identityNodes.save([
        node('account', 'gone', newest - 91 * DAY),
        node('device', 'D-gone', newest - 91 * DAY),
        node('account', 'kept', newest - 89 * DAY),
        node('device', 'D-kept', newest - 89 * DAY),
      ]);
    } finally {
      await store.close();
    }

    const lines = await weft('retention', '--db', url, '--max-age-days', '365');

    expect(lines.at(-1)).toBe(
      `identity links of in-app-purchase last seen before ${new Date(newest - 90 * DAY).toISOString()}: 1 edges and 2 entities deleted`,
    );
    const after = await openStore(url);
    try {
      const edges = await after.identityEdges.page({ templateId: template.id });
      expect(edges.edges.map((e) => e.a.key)).toEqual(['kept']);
      const nodes = await after.identityNodes.page({ templateId: template.id });
      expect(nodes.nodes.map((n) => n.key).sort()).toEqual(['D-kept', 'kept']);
    } finally {
      await after.close();
    }
  });

  it.each([
    [{ db: 'sqlite:x.db' }, /--max-age-days is required/u],
    [{ db: 'sqlite:x.db', maxAgeDays: '0' }, /--max-age-days must be at least 1 \(got "0"\)/u],
    [
      { db: 'sqlite:x.db', maxAgeDays: '30d' },
      /--max-age-days must be a whole number \(got "30d"\)/u,
    ],
    [
      { db: 'sqlite:x.db', maxAgeDays: '30', batchSize: '20000' },
      /--batch-size must be at most 10000/u,
    ],
    [
      { db: 'sqlite:x.db', maxAgeDays: '30', minuteRollupDays: '-1' },
      /--minute-rollup-days must be a whole number/u,
    ],
    [{ maxAgeDays: '30' }, /--db is required \(or WEFT_DB\)/u],
    [{ db: 'postgres://h/db', maxAgeDays: '30' }, /--db must be mysql:\/\//u],
  ])('refuses %j naming the flag', (flags, message) => {
    expect(() => parseRetentionFlags(flags, {})).toThrow(UsageError);
    expect(() => parseRetentionFlags(flags, {})).toThrow(message);
  });

  it('reports every bad flag at once, with an example', () => {
    expect(() => parseRetentionFlags({ maxAgeDays: 'x', graceDays: '400' }, {})).toThrow(
      /--db is required.*--max-age-days must be a whole number.*--grace-days must be at most 365.*Example: weft retention/u,
    );
  });
});
