import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EntityParamsSchema } from '../../src/features/entities/server/entity-params';
import { findEntities } from '../../src/features/entities/server/find-entities';
import { loadEntity } from '../../src/features/entities/server/load-entity';
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
    const data = await loadEntity(db.store, params({ kind: 'account', key: 'A7' }), NOW);
    if (data.status !== 'ok') throw new Error(`expected the entity, got ${data.status}`);
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
    const first = await loadEntity(db.store, params({ kind: 'account', key: 'A7' }), NOW);
    if (first.status !== 'ok') throw new Error(first.status);
    expect(first.sessions.rows).toHaveLength(50);
    expect(first.sessions.rows[0]!.businessKey).toBe('O-A7-0');
    expect(first.sessions.nextCursor).not.toBeNull();
    const second = await loadEntity(
      db.store,
      params({ kind: 'account', key: 'A7', cursor: first.sessions.nextCursor }),
      NOW,
    );
    if (second.status !== 'ok') throw new Error(second.status);
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
    const near = await loadEntity(db.store, params({ kind: 'device', key: device, depth: 1 }), NOW);
    if (near.status !== 'ok') throw new Error(near.status);
    const linked = near.graph.nodes.filter((n) => !n.center).map((n) => n.id);
    expect(new Set(linked)).toEqual(expected);
    // One hop reads the device's own edges: one link per linked entity.
    expect(near.graph.links).toHaveLength(expected.size);
    expect(near.graph.links.every((l) => [l.source, l.target].includes(`device:${device}`))).toBe(
      true,
    );
    const far = await loadEntity(db.store, params({ kind: 'device', key: device, depth: 2 }), NOW);
    if (far.status !== 'ok') throw new Error(far.status);
    // Two hops reach A7's other devices and IPs through A7.
    expect(far.graph.nodes.length).toBeGreaterThan(100);
    expect(far.graph.nodes.filter((n) => n.kind === 'device').length).toBeGreaterThan(40);
  });

  it('answers an unknown key with an empty entity, and unknown kinds and templates by name', async () => {
    const none = await loadEntity(db.store, params({ kind: 'device', key: 'no-such-device' }), NOW);
    if (none.status !== 'ok') throw new Error(none.status);
    expect(none.sessions.rows).toEqual([]);
    expect(none.graph.nodes.map((n) => n.id)).toEqual(['device:no-such-device']);
    expect(none.charts.every((c) => c.observed === 0)).toBe(true);

    const kind = await loadEntity(db.store, params({ kind: 'card', key: 'C1' }), NOW);
    expect(kind).toMatchObject({ status: 'unknown-kind', kind: 'card' });
    expect(kind.status === 'unknown-kind' && kind.kinds.map((k) => k.id)).toEqual([
      'account',
      'device',
      'ip',
    ]);
    const missing = await loadEntity(
      db.store,
      { ...params({ kind: 'device', key: 'D1' }), template: 'nope' },
      NOW,
    );
    expect(missing).toEqual({
      status: 'unknown-template',
      templateId: 'nope',
      templates: [template.id],
    });
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
