import { createConnection } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Session } from '@weft/templates';
import { openStore, parseStoreUrl, StatementTooLargeError } from '../../src/index.js';
import type { Store } from '../../src/index.js';
import { freshStore, testBackends } from '../backends.js';
import { makeSession } from '../sessions-fixture.js';

const KIB = 1024;

/**
 * A raw record of about `bytes` UTF-8 bytes whose text is hard on a size
 * estimate: quotes and backslashes (escaped twice, by JSON and by MySQL's
 * client-side escaping) and two- and four-byte characters.
 */
function rawPayload(bytes: number, seed: number): string {
  const unit = `seed ${seed} "quoted" back\\slash caf\u00e9 \u{1F600} `;
  return unit.repeat(Math.ceil(bytes / Buffer.byteLength(unit)));
}

function largeSession(templateId: string, i: number, rawBytes: number): Session {
  const base = makeSession({ templateId, start: Date.UTC(2026, 0, 1) + i * 60_000 });
  const [first, ...rest] = base.nodes;
  if (first === undefined) throw new Error('the fixture has a first node');
  const record = { ...first.records[0]!, raw: { line: rawPayload(rawBytes, i) } };
  return {
    ...base,
    fields: { ...base.fields, note: rawPayload(Math.min(rawBytes, 4 * KIB), i) },
    nodes: [{ ...first, records: [record] }, ...rest],
  };
}

async function expectStored(store: Store, sessions: readonly Session[]): Promise<void> {
  for (const session of sessions)
    expect(await store.sessions.get(session.sessionId)).toEqual(session);
}

/** The server's max_allowed_packet, read the way the store reads it. */
async function serverPacketBytes(url: string): Promise<number> {
  const location = parseStoreUrl(url);
  if (location.backend !== 'mysql')
    throw new Error('only MySQL-family servers have a packet limit');
  const { host, port, user, password, database } = location;
  const connection = await createConnection({ host, port, user, password, database });
  try {
    const [rows] = await connection.query('SELECT @@max_allowed_packet AS p');
    return Number((rows as { p: number }[])[0]?.p);
  } finally {
    await connection.end();
  }
}

describe.each(testBackends())('statement size on $name', (backend) => {
  let store: Store;
  let url: string;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ store, url, close } = await freshStore(backend));
  });
  afterAll(() => close?.());

  it('writes one batch whose raw records add up to more than MariaDB’s default max_allowed_packet (16 MiB)', async () => {
    await store.rollups.define('large', {
      dimensions: ['channel'],
      measures: [{ field: 'amount', agg: 'p95' }],
    });
    // 40 sessions of ~500 KB of raw record each: ~20 MB of records_json, more once escaped.
    const sessions = Array.from({ length: 40 }, (_, i) => largeSession('large', i, 500 * KIB));
    expect(await store.sessions.upsert(sessions)).toEqual({ applied: 40, ignored: 0 });
    await expectStored(store, sessions);
    const dashboard = await store.rollups.query({
      templateId: 'large',
      grain: 'day',
      from: Date.UTC(2026, 0, 1),
      to: Date.UTC(2026, 0, 2),
      dimensions: ['channel'],
      measures: [{ field: 'amount', agg: 'count' }],
    });
    expect(dashboard.points.map((p) => p.sessions)).toEqual([40]);
  });

  it('splits writes under a small maxStatementBytes, a row over it written alone, and loses nothing', async () => {
    const small = await openStore(url, { maxStatementBytes: 16 * KIB });
    try {
      const sessions = Array.from({ length: 30 }, (_, i) =>
        largeSession('small-budget', i, i === 7 ? 100 * KIB : 3 * KIB),
      );
      const replaced = sessions.slice(0, 10).map((s) => ({ ...s, version: 2 }));
      const retracted = { ...sessions[20]!, version: 3 };
      expect(await small.sessions.upsert(sessions)).toEqual({ applied: 30, ignored: 0 });
      expect(
        await small.sessions.upsert([
          ...replaced,
          {
            sessionId: retracted.sessionId,
            templateId: retracted.templateId,
            mergedInto: sessions[0]!.sessionId,
            version: 3,
          },
          {
            sessionId: 'small-budget-never-stored',
            templateId: 'small-budget',
            mergedInto: sessions[0]!.sessionId,
            version: 1,
          },
        ]),
      ).toEqual({ applied: 12, ignored: 0 });
      await expectStored(small, [...replaced, ...sessions.slice(10, 20), ...sessions.slice(21)]);
      expect((await small.sessions.get(retracted.sessionId))?.mergedInto).toBe(
        sessions[0]!.sessionId,
      );
    } finally {
      await small.close();
    }
  });

  it.runIf(backend.name === 'mysql')(
    'refuses a session larger than max_allowed_packet with an error naming it, its size and the fix, writing none of the batch',
    async () => {
      const packet = await serverPacketBytes(url);
      const ok = largeSession('too-large', 0, 2 * KIB);
      const huge = largeSession('too-large', 1, packet + 64 * KIB);
      const failure = store.sessions.upsert([ok, huge]);
      await expect(failure).rejects.toThrow(StatementTooLargeError);
      await expect(failure).rejects.toThrow(
        new RegExp(
          `session "${huge.sessionId}".*about \\d+ bytes.*max_allowed_packet = ${packet}`,
          'u',
        ),
      );
      await expect(failure).rejects.toThrow(/Raise the server's max_allowed_packet/u);
      expect(await store.sessions.get(ok.sessionId)).toBeUndefined();
      // The store is still usable: nothing oversized was sent.
      await store.sessions.upsert([ok]);
      await expectStored(store, [ok]);
    },
  );

  it.runIf(backend.name === 'mysql')(
    'refuses a row under max_allowed_packet that MySQL’s escaping would push over it',
    async () => {
      const packet = await serverPacketBytes(url);
      // A record of backslashes: ×2 in JSON, ×2 again escaped on the wire.
      const session = largeSession('escaped', 0, 1);
      const [first, ...rest] = session.nodes;
      const record = { ...first!.records[0]!, raw: '\\'.repeat(Math.ceil(packet / 3)) };
      const escaped: Session = { ...session, nodes: [{ ...first!, records: [record] }, ...rest] };
      await expect(store.sessions.upsert([escaped])).rejects.toThrow(
        new RegExp(`session "${escaped.sessionId}"`, 'u'),
      );
      expect(await store.sessions.get(escaped.sessionId)).toBeUndefined();
    },
  );
});
