import { IdentityGraph, ProfileStore, profileSnapshotOf } from '@weft/engine';
import type { ProfileEntityState, ProfileEntry, ProfileSnapshot, ProfileSpec } from '@weft/engine';
import { applyMigrations, openStore } from '@weft/storage';
import type { Store } from '@weft/storage';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../logging.js';
import { EPOCH_VERSIONS } from './live-job.js';
import {
  changedGraphRows,
  checkpointVersion,
  createProfileMirror,
  MirrorVersionError,
  PROFILE_HEADER_KIND,
} from './profile-mirror.js';

const templateId = 'pay';
const logger = createLogger({ level: 'silent' });
// Buckets of 1, 10 and 100 time units: a few hundred units cross every tier.
const spec: ProfileSpec = {
  entities: [
    {
      id: 'account',
      features: [{ name: 'count_50', aggregate: 'count', window: { last: 50, offset: 0 } }],
    },
    {
      id: 'device',
      features: [{ name: 'count_50', aggregate: 'count', window: { last: 50, offset: 0 } }],
    },
  ],
  granularities: [1, 10, 100],
  queryLag: 5,
};

/** What storage holds, rebuilt the way a restore from it would: the `$store` header and the entity rows. */
async function rebuilt(store: Store): Promise<ProfileSnapshot> {
  let header: ProfileSnapshot | undefined;
  const entries: ProfileEntry[] = [];
  for await (const row of store.entityStates.export({ templateId })) {
    const state = JSON.parse(row.state) as unknown;
    if (row.kind === PROFILE_HEADER_KIND) header = state as ProfileSnapshot;
    else entries.push({ kind: row.kind, key: row.key, state: state as ProfileEntityState });
  }
  if (header === undefined) throw new Error('no $store header row');
  return profileSnapshotOf(header, entries);
}

async function storedGraph(store: Store) {
  const nodes: string[] = [];
  for await (const n of store.identityNodes.export({ templateId }))
    nodes.push(`${n.kind}:${n.key}@${n.lastSeen}`);
  const edges: string[] = [];
  for await (const e of store.identityEdges.export({ templateId }))
    edges.push(`${e.a.kind}:${e.a.key}-${e.b.kind}:${e.b.key}@${e.lastSeen}`);
  return { nodes: nodes.sort(), edges: edges.sort() };
}

describe('checkpointVersion', () => {
  it('puts the checkpoint count of a run into its epoch', () => {
    expect(checkpointVersion(0, 1)).toBe(1);
    expect(checkpointVersion(3, 17)).toBe(3 * EPOCH_VERSIONS + 17);
  });

  it('refuses a count that would reach the next epoch', () => {
    expect(() => checkpointVersion(2, EPOCH_VERSIONS)).toThrow(MirrorVersionError);
    expect(() => checkpointVersion(2, 0)).toThrow(MirrorVersionError);
  });
});

describe('changedGraphRows', () => {
  const graph = new IdentityGraph(1_000);
  graph.link(
    [
      { kind: 'account', key: 'A1' },
      { kind: 'device', key: 'D1' },
    ],
    10,
  );
  graph.link([{ kind: 'account', key: 'A2' }], 12);

  it('returns every node and edge when nothing was saved', () => {
    const rows = changedGraphRows(
      templateId,
      graph.snapshot(),
      { nodes: new Map(), edges: new Map() },
      7,
    );
    expect(rows.nodes.map((n) => `${n.kind}:${n.key}@${n.lastSeen}`).sort()).toEqual([
      'account:A1@10',
      'account:A2@12',
      'device:D1@10',
    ]);
    expect(rows.edges).toEqual([
      {
        templateId,
        a: { kind: 'account', key: 'A1' },
        b: { kind: 'device', key: 'D1' },
        firstSeen: 10,
        lastSeen: 10,
        sessions: 1,
        version: 7,
      },
    ]);
  });

  it('returns only what was seen again since the saved times', () => {
    const saved = {
      nodes: new Map([
        ['account\u0000A1', 10],
        ['account\u0000A2', 12],
        ['device\u0000D1', 10],
      ]),
      edges: new Map([['account\u0000A1\u0001device\u0000D1', 10]]),
    };
    expect(changedGraphRows(templateId, graph.snapshot(), saved, 8)).toEqual({
      nodes: [],
      edges: [],
    });
    saved.nodes.set('account\u0000A2', 11);
    saved.edges.set('account\u0000A1\u0001device\u0000D1', 9);
    const rows = changedGraphRows(templateId, graph.snapshot(), saved, 8);
    expect(rows.nodes.map((n) => n.key)).toEqual(['A2']);
    expect(rows.edges.map((e) => e.lastSeen)).toEqual([10]);
  });
});

describe('createProfileMirror (SQLite store)', () => {
  let store: Store;
  beforeEach(async () => {
    store = await openStore('sqlite::memory:');
    await applyMigrations(store);
  });
  afterEach(async () => {
    await store.close();
  });

  it('saves the changes of each checkpoint so that storage rebuilds the profile store exactly', async () => {
    const profiles = new ProfileStore(spec);
    const graph = new IdentityGraph(1_000);
    const mirror = createProfileMirror({ store, templateId, logger });
    profiles.observe('account', 'A1', 10);
    profiles.observe('device', 'D1', 10);
    graph.link(
      [
        { kind: 'account', key: 'A1' },
        { kind: 'device', key: 'D1' },
      ],
      10,
    );
    mirror.collect({
      profiles: { header: profiles.snapshotHeader(), entries: profiles.takeChanged() },
      graph: graph.snapshot(),
    });
    await mirror.save(0, 1);
    expect(await rebuilt(store)).toEqual(profiles.snapshot());

    // Far later: A1 and D1 have nothing left in their windows and are swept (tombstones).
    profiles.observe('account', 'A2', 5_000);
    profiles.sweep(10);
    graph.link([{ kind: 'account', key: 'A2' }], 5_000);
    const changes = profiles.takeChanged();
    expect(
      changes
        .filter((c) => c.state === null)
        .map((c) => c.key)
        .sort(),
    ).toEqual(['A1', 'D1']);
    mirror.collect({
      profiles: { header: profiles.snapshotHeader(), entries: changes },
      graph: graph.snapshot(),
    });
    await mirror.save(0, 2);
    expect(await rebuilt(store)).toEqual(profiles.snapshot());
    expect(await storedGraph(store)).toEqual({
      nodes: ['account:A1@10', 'account:A2@5000', 'device:D1@10'],
      edges: ['account:A1-device:D1@10'],
    });
  });

  it('keeps the changes of a failed save pending and writes them with the next checkpoint', async () => {
    const profiles = new ProfileStore(spec);
    let failures = 1;
    const flaky: Store = {
      ...store,
      entityStates: {
        ...store.entityStates,
        save: async (states) => {
          if (failures > 0) {
            failures -= 1;
            throw new Error('store down');
          }
          return store.entityStates.save(states);
        },
      },
    };
    const mirror = createProfileMirror({ store: flaky, templateId, logger });
    profiles.observe('account', 'A1', 10);
    mirror.collect({
      profiles: { header: profiles.snapshotHeader(), entries: profiles.takeChanged() },
      graph: null,
    });
    await mirror.save(0, 1);
    expect(await store.entityStates.page({ templateId })).toMatchObject({ states: [] });

    profiles.observe('account', 'A3', 20);
    mirror.collect({
      profiles: { header: profiles.snapshotHeader(), entries: profiles.takeChanged() },
      graph: null,
    });
    await mirror.save(0, 2);
    expect(await rebuilt(store)).toEqual(profiles.snapshot());
  });

  it('forgets, at its first save, stored entities the restored job does not hold', async () => {
    // Left by an earlier run (epoch 0) whose checkpoint was not the one restored.
    await store.entityStates.save([
      {
        templateId,
        kind: 'account',
        key: 'GONE',
        format: 'weft.profiles/1',
        version: 3,
        state: '[]',
      },
    ]);
    const profiles = new ProfileStore(spec);
    profiles.observe('account', 'A1', 10);
    const mirror = createProfileMirror({ store, templateId, logger });
    mirror.collect({
      profiles: { header: profiles.snapshotHeader(), entries: profiles.takeChanged() },
      graph: null,
    });
    await mirror.save(1, 1);
    expect(await rebuilt(store)).toEqual(profiles.snapshot());
  });
});
