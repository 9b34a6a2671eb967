import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ProfileStore, profileSnapshotOf, profileSpecOf } from '@weft/engine';
import type {
  IdentityGraphSnapshot,
  ProfileEntry,
  ProfileSnapshot,
  ProfileSpec,
} from '@weft/engine';
import { openStore } from '@weft/storage';
import { loadTemplate } from '@weft/templates';
import type { Session } from '@weft/templates';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROFILE_HEADER_KIND } from '../../src/live/profile-mirror.js';
import { serviceEnv } from './env.js';
import {
  contentOf,
  createDatabase,
  deleteTopics,
  freePort,
  liveCorrelateArgs,
  readTruth,
  scratchDir,
  simulateToKafka,
  sleep,
  startCorrelator,
  uniqueName,
  waitForFinalSessions,
  writeTestTemplate,
} from './live-harness.js';
import type { CorrelatorProcess } from './live-harness.js';

const kafkaEnv = serviceEnv('WEFT_TEST_KAFKA_BROKERS', 'bash scripts/services/kafka.sh start');
const mysqlEnv = serviceEnv('WEFT_TEST_MYSQL_URL', 'bash scripts/services/mariadb.sh start');
const templateId = 'in-app-purchase';

/**
 * Entity profiles across a `kill -9`: the same traffic (8 h of event time, so
 * sessions settle and feed the profiles while it streams) is correlated once
 * without interruption, and once killed after a checkpoint whose profiles
 * were mirrored to storage, then restarted. The restarted run must store the
 * same sessions with the same entity feature values and verdicts, and after
 * its shutdown checkpoint `entity_states` must rebuild that checkpoint's
 * profile store exactly, and `identity_nodes`/`identity_edges` hold its graph.
 */
describe.skipIf(kafkaEnv.skip || mysqlEnv.skip)('live entity profiles in storage', () => {
  const brokers = kafkaEnv.value ?? '';
  const prefix = uniqueName('profiles');
  let scratch: Awaited<ReturnType<typeof scratchDir>>;
  let template: string;
  let expected: number;
  let reference: string[];
  const groups: string[] = [];

  const start = async (db: string, name: string): Promise<CorrelatorProcess> => {
    if (!groups.includes(name)) groups.push(name);
    return startCorrelator([
      ...liveCorrelateArgs({
        template,
        brokers,
        db,
        prefix,
        group: `${prefix}${name}`,
        checkpointDir: join(scratch.path, `checkpoints-${name}`),
      }),
      '--checkpoint-interval',
      '1s',
      '--kafka-session-timeout',
      '6s',
      '--http-port',
      String(await freePort()),
      '--log-level',
      'info',
    ]);
  };

  const finish = async (correlator: CorrelatorProcess, db: string): Promise<Session[]> => {
    const sessions = await waitForFinalSessions({
      brokers,
      prefix,
      db,
      templateId,
      expected,
      timeoutMs: 120_000,
    });
    correlator.child.kill('SIGTERM');
    expect(await correlator.exited, correlator.stderr().slice(-2_000)).toBe(0);
    return sessions;
  };

  beforeAll(async () => {
    scratch = await scratchDir();
    template = await writeTestTemplate(scratch.path);
    simulateToKafka({
      brokers,
      prefix,
      dir: join(scratch.path, 'data'),
      orders: 600,
      seed: 23,
      spanHours: 8,
    });
    const truth = await readTruth(join(scratch.path, 'data'));
    expected = truth.reduce((sum, entry) => sum + entry.expected.length, 0);
    const database = await createDatabase(mysqlEnv.value ?? '');
    try {
      const sessions = await finish(await start(database.url, 'reference'), database.url);
      reference = sessions.map(withFeatures).sort();
      // The comparison means something only if features were computed from other sessions.
      expect(
        sessions.some((s) =>
          Object.entries(s.fields).some(
            ([name, value]) => name.startsWith('entity.account.') && Number(value) > 0,
          ),
        ),
      ).toBe(true);
    } finally {
      await database.drop();
    }
  }, 240_000);

  afterAll(async () => {
    await scratch?.dispose();
    await deleteTopics(
      brokers,
      prefix,
      groups.map((name) => `${prefix}${name}.late`),
    );
  });

  it('kill -9 after profiles were saved, restart: the same features and verdicts; storage mirrors the last checkpoint', async () => {
    const spec = profileSpecOf(loadTemplate(JSON.parse(await readFile(template, 'utf8'))));
    if (spec === null) throw new Error('the test template declares no entity features');
    const database = await createDatabase(mysqlEnv.value ?? '');
    try {
      const first = await start(database.url, 'restart');
      await until(async () => (await storedEntities(database.url)) > 0, 90_000);
      first.child.kill('SIGKILL');
      expect(await first.exited).toBe('SIGKILL');

      const second = await start(database.url, 'restart');
      const sessions = await finish(second, database.url);
      expect(second.stderr()).toMatch(/"restoredCheckpoint":\d+/u);
      expect(sessions.map(withFeatures).sort()).toEqual(reference);

      const checkpoint = await newestCheckpoint(join(scratch.path, 'checkpoints-restart'));
      const mirrored = await readMirror(database.url);
      expect(checkpoint.epoch).toBe(1);
      expect(mirrored.profiles.kinds.some((k) => Object.keys(k.entities).length > 0)).toBe(true);
      expect(answers(mirrored.profiles, spec)).toEqual(
        answers(checkpoint.job.profiles.store, spec),
      );
      expect(mirrored.nodes).toEqual(
        checkpoint.job.profiles.graph.nodes
          .map(([kind, key, seen]) => `${kind}:${key}@${seen}`)
          .sort(),
      );
      expect(mirrored.edges.length).toBeGreaterThan(0);
      expect(mirrored.edges).toEqual(graphEdges(checkpoint.job.profiles.graph));
      // Every row of the restarted run outranks the killed run's (epoch 1).
      expect(mirrored.minVersion).toBeGreaterThan(1_000_000);
    } finally {
      await database.drop();
    }
  }, 300_000);
});

/** What a stored session says (records, status, verdicts) and the entity features its last version read. */
function withFeatures(session: Session): string {
  const features = Object.entries(session.fields)
    .filter(([name]) => name.startsWith('entity.'))
    .sort(([a], [b]) => (a < b ? -1 : 1));
  return `${contentOf({ ...session, fireReason: 'final' })} ${JSON.stringify(features)}`;
}

async function storedEntities(db: string): Promise<number> {
  const store = await openStore(db);
  try {
    const page = await store.entityStates.page({ templateId, kind: 'account', limit: 10 });
    return page.states.length;
  } finally {
    await store.close();
  }
}

interface StoredCheckpoint {
  epoch: number;
  job: { profiles: { store: ProfileSnapshot; graph: IdentityGraphSnapshot } };
}

async function newestCheckpoint(dir: string): Promise<StoredCheckpoint> {
  const names = (await readdir(dir)).filter((name) => name.startsWith('checkpoint-')).sort();
  const newest = names.at(-1);
  if (newest === undefined) throw new Error(`no checkpoint in ${dir}`);
  return JSON.parse(await readFile(join(dir, newest), 'utf8')) as StoredCheckpoint;
}

/** Storage's profile rows rebuilt as a restore would, and its identity graph as sorted strings. */
async function readMirror(db: string) {
  const store = await openStore(db);
  try {
    let header: ProfileSnapshot | undefined;
    let minVersion = Number.POSITIVE_INFINITY;
    const entries: ProfileEntry[] = [];
    for await (const row of store.entityStates.export({ templateId })) {
      minVersion = Math.min(minVersion, row.version);
      const state = JSON.parse(row.state) as ProfileEntry['state'] & ProfileSnapshot;
      if (row.kind === PROFILE_HEADER_KIND) header = state;
      else entries.push({ kind: row.kind, key: row.key, state });
    }
    if (header === undefined) throw new Error('no $store header row in entity_states');
    const nodes: string[] = [];
    for await (const n of store.identityNodes.export({ templateId })) {
      minVersion = Math.min(minVersion, n.version);
      nodes.push(`${n.kind}:${n.key}@${n.lastSeen}`);
    }
    const edges: string[] = [];
    for await (const e of store.identityEdges.export({ templateId })) {
      minVersion = Math.min(minVersion, e.version);
      edges.push(edgeText(`${e.a.kind}:${e.a.key}`, `${e.b.kind}:${e.b.key}`, e.lastSeen));
    }
    return {
      profiles: profileSnapshotOf(header, entries),
      nodes: nodes.sort(),
      edges: edges.sort(),
      minVersion,
    };
  } finally {
    await store.close();
  }
}

/**
 * What a profile store answers: every entity's features as of the frontier
 * and as of the oldest time still answerable. Compared instead of the bytes:
 * an entity compacted but not observed since its last save is stored as
 * saved (the engine does not report compaction), and answers the same.
 */
function answers(snapshot: ProfileSnapshot, spec: ProfileSpec): Record<string, unknown> {
  const store = ProfileStore.restore(snapshot, spec);
  const frontier = snapshot.frontier ?? 0;
  const out: Record<string, unknown> = {};
  for (const kind of snapshot.kinds) {
    for (const key of Object.keys(kind.entities)) {
      out[`${kind.kind}:${key}`] = [
        store.featuresAsOf(kind.kind, key, frontier),
        store.featuresAsOf(kind.kind, key, frontier - (spec.queryLag ?? 0)),
      ];
    }
  }
  return out;
}

function graphEdges(graph: IdentityGraphSnapshot): string[] {
  return graph.edges
    .map(([a, b, seen]) => {
      const [aKind, aKey] = graph.nodes[a] ?? [];
      const [bKind, bKey] = graph.nodes[b] ?? [];
      return edgeText(`${aKind}:${aKey}`, `${bKind}:${bKey}`, seen);
    })
    .sort();
}

/** An edge as text, ends in order (storage orders them by kind and key, the graph by node index). */
function edgeText(a: string, b: string, seen: number): string {
  return a < b ? `${a}-${b}@${seen}` : `${b}-${a}@${seen}`;
}

async function until(condition: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(100);
  }
}
