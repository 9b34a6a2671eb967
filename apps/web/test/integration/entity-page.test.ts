import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EntityParamsSchema } from '../../src/features/entities/server/entity-params';
import { findEntities } from '../../src/features/entities/server/find-entities';
import { findEntity, loadEntity } from '../../src/features/entities/server/load-entity';
import { purchaseSession, purchaseTemplate } from '../e2e/seed';
import { identityEdgesOf, withEntityFeatures } from '../e2e/seed-entities';
import { backendNames, openTestStore, publishTemplate } from './backends';
import type { TestStore } from './backends';

const NOW = Date.UTC(2026, 10, 24, 12);
const HOUR = 3_600_000;

/**
 * The entity page's data from real stores: sessions with the entity features
 * @weft/engine computes for them and the identity edges between their
 * entities, read back through @weft/storage's entity queries. Account A7
 * pays 60 times over 20 days (each time from another device and IP); 40
 * other purchases have accounts of their own.
 */
describe.each(backendNames())('entity page on %s', (backend) => {
  let db: TestStore;
  const template = purchaseTemplate();
  const raw = [
    ...Array.from({ length: 60 }, (_, k) =>
      purchaseSession(template, `O-A7-${k}`, NOW - (k * 8 + 1) * HOUR, 'ok', 7 + 211 * k),
    ),
    ...Array.from({ length: 40 }, (_, i) =>
      purchaseSession(template, `O-X-${i}`, NOW - (i * 5 + 2) * HOUR, 'ok', 1000 + i),
    ),
  ];
  const sessions = withEntityFeatures(template, raw);
  const ofAccount = sessions.filter((s) => s.fields.account_id === 'A7');
  const params = (input: Record<string, unknown>) =>
    EntityParamsSchema.parse({ template: template.id, ...input });
  /** The page's two reads: whether the entity exists, then what it shows of it. */
  const load = async (input: Record<string, unknown>) => {
    const query = params(input);
    const found = await findEntity(db.store, query);
    if (!found) throw new Error(`expected ${query.kind} ${query.key} to be found`);
    return loadEntity(db.store, found, query, NOW);
  };

  beforeAll(async () => {
    db = await openTestStore(backend);
    await publishTemplate(db.store, template);
    await db.store.sessions.upsert(sessions);
    await db.store.identityEdges.save(identityEdgesOf(template, sessions));
  });
  afterAll(async () => {
    await db?.close();
  });

  it('charts every account feature from the values its sessions carried', async () => {
    const data = await load({ kind: 'account', key: 'A7' });
    expect(data.kind.field).toBe('account_id');
    const declared = template.entities!.kinds.find((k) => k.id === 'account')!.features;
    expect(data.charts.map((c) => c.feature)).toEqual(declared.map((f) => f.name));
    const newestFirst = [...ofAccount].sort((a, b) => b.start - a.start);
    for (const chart of data.charts) {
      const field = `entity.account.${chart.feature}`;
      const valued = ofAccount.filter((s) => typeof s.fields[field] === 'number');
      expect(chart.points).toHaveLength(ofAccount.length);
      expect(chart.observed, chart.feature).toBe(valued.length);
      const newest = newestFirst.find((s) => typeof s.fields[field] === 'number');
      // last_seen is plotted as an age (prepare-feature-charts.test.ts); the others as stored.
      if (declared.find((f) => f.name === chart.feature)?.agg !== 'last_seen')
        expect(chart.latest, chart.feature).toBe(newest?.fields[field] ?? null);
    }
    // The engine saw A7 pay before most of these sessions: the counts are not all empty.
    expect(data.charts.find((c) => c.unit === 'distinct device_id')!.latest).toBeGreaterThan(1);
  });

  it('lists the sessions newest first, keyset-paged', async () => {
    const first = await load({ kind: 'account', key: 'A7' });
    expect(first.sessions.rows).toHaveLength(50);
    expect(first.sessions.rows[0]!.businessKey).toBe('O-A7-0');
    expect(first.sessions.nextCursor).not.toBeNull();
    const second = await load({ kind: 'account', key: 'A7', cursor: first.sessions.nextCursor });
    const keys = [...first.sessions.rows, ...second.sessions.rows].map((r) => r.businessKey);
    expect(new Set(keys)).toEqual(new Set(ofAccount.map((s) => s.businessKey)));
    expect(second.sessions.nextCursor).toBeNull();
  });

  it('draws the entities linked to a device, one hop and two', async () => {
    const device = String(ofAccount[0]!.fields.device_id);
    const together = sessions.filter((s) => s.fields.device_id === device);
    const expected = new Set(
      together.flatMap((s) => [
        `account:${String(s.fields.account_id)}`,
        `ip:${String(s.fields.ip)}`,
      ]),
    );
    const near = await load({ kind: 'device', key: device, depth: 1 });
    const linked = near.graph.nodes.filter((n) => !n.center).map((n) => n.id);
    expect(new Set(linked)).toEqual(expected);
    // One hop reads the device's own edges: one link per linked entity.
    expect(near.graph.links).toHaveLength(expected.size);
    expect(near.graph.links.every((l) => [l.source, l.target].includes(`device:${device}`))).toBe(
      true,
    );
    const far = await load({ kind: 'device', key: device, depth: 2 });
    // Two hops reach A7's other devices and IPs through A7.
    expect(far.graph.nodes.length).toBeGreaterThan(100);
    expect(far.graph.nodes.filter((n) => n.kind === 'device').length).toBeGreaterThan(40);
  });

  it('finds no entity for an unknown key, kind or template (the page answers 404)', async () => {
    const device = String(ofAccount[0]!.fields.device_id);
    expect(await findEntity(db.store, params({ kind: 'device', key: device }))).toMatchObject({
      templateId: template.id,
      kind: { id: 'device', field: 'device_id' },
      key: device,
    });
    expect(await findEntity(db.store, params({ kind: 'device', key: 'no-such-device' }))).toBe(
      null,
    );
    expect(await findEntity(db.store, params({ kind: 'card', key: 'C1' }))).toBe(null);
    expect(
      await findEntity(db.store, { ...params({ kind: 'device', key: device }), template: 'nope' }),
    ).toBe(null);
  });

  it('finds an entity that only an identity edge names', async () => {
    const linkedOnly = 'D-LINKED-ONLY';
    expect(await findEntity(db.store, params({ kind: 'device', key: linkedOnly }))).toBe(null);
    await db.store.identityEdges.save([
      {
        templateId: template.id,
        a: { kind: 'account', key: 'A7' },
        b: { kind: 'device', key: linkedOnly },
        sessions: 1,
        firstSeen: NOW - HOUR,
        lastSeen: NOW - HOUR,
        version: 1,
      },
    ]);
    const found = await findEntity(db.store, params({ kind: 'device', key: linkedOnly }));
    expect(found?.key).toBe(linkedOnly);
  });

  it('finds entities from the search box by any entity value', async () => {
    const device = String(ofAccount[3]!.fields.device_id);
    const ip = String(ofAccount[3]!.fields.ip);
    expect((await findEntities(db.store, device)).map((m) => [m.kind, m.key])).toEqual([
      ['device', device],
    ]);
    expect((await findEntities(db.store, `device=${device}`)).map((m) => m.href)).toEqual([
      `/entities/device/${device}?template=${template.id}`,
    ]);
    expect((await findEntities(db.store, `ip:${ip}`)).map((m) => m.kind)).toEqual(['ip']);
    expect(await findEntities(db.store, `account=${device}`)).toEqual([]);
    expect(await findEntities(db.store, 'O-A7-0')).toEqual([]);
    expect(await findEntities(db.store, 'amount_cents>=1')).toEqual([]);
  });
});
