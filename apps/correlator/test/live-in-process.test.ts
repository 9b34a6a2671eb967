import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSimulation, topicOf } from '@weft/simulator';
import type { RecordEvent } from '@weft/simulator';
import { applyMigrations, openStore } from '@weft/storage';
import type { Store } from '@weft/storage';
import type { Session } from '@weft/templates';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCorrelateConfig } from '../src/config.js';
import { runLiveCorrelate } from '../src/correlate/run-live-correlate.js';
import { loadTemplateRef } from '../src/correlate/template-ref.js';
import { createHealthChecks } from '../src/http/index.js';
import { createInProcessKafka } from '../src/kafka/index.js';
import { createLogger } from '../src/logging.js';
import { createMetrics } from '../src/metrics.js';
import type { RunSummary } from '../src/run/index.js';

const exampleTemplate = fileURLToPath(
  new URL('../../../packages/templates/examples/in-app-purchase.json', import.meta.url),
);
const PREFIX = 'weft.t.';
const ORDERS = 40;

interface Definition {
  id: string;
  version: number;
  entities?: unknown;
  conclusions: { when: string }[];
  baseline: { timeout: string };
  sources: { id: string; kind: string; watermark?: unknown; fields?: Record<string, unknown> }[];
}

/**
 * The example template as the live tests run it (90 s out-of-orderness, 10 s
 * idleness, 30 min timeout), without entity profiles (a rebuild starts them empty).
 */
function version1(): Definition {
  const definition = JSON.parse(readFileSync(exampleTemplate, 'utf8')) as Definition;
  for (const source of definition.sources) {
    if (source.kind !== 'sql') source.watermark = { outOfOrderness: '90s', idleTimeout: '10s' };
  }
  definition.baseline.timeout = '30m';
  delete definition.entities;
  definition.conclusions = definition.conclusions.filter((c) => !c.when.includes('entity.'));
  return definition;
}

/** Version 2: the channel callback source extracts one more field (a change of sources). */
function version2(v1: Definition): Definition {
  const next = structuredClone(v1);
  next.version = 2;
  const callback = next.sources.find((s) => s.id === 'channel_callback');
  if (callback?.fields === undefined) throw new Error('the example has no channel_callback fields');
  callback.fields.trade_status_v2 = { path: 'trade_status', type: 'string' };
  return next;
}

/** A migrated SQLite store in `dir` with version 1 published. */
async function storeWithVersion1(
  dir: string,
): Promise<{ db: string; store: Store; v1: Definition }> {
  const db = `sqlite:${join(dir, 'weft.db')}`;
  const store = await openStore(db);
  await applyMigrations(store);
  const v1 = version1();
  await store.templates.save({
    templateId: v1.id,
    version: 1,
    status: 'published',
    definition: v1,
  });
  return { db, store, v1 };
}

/** `weft correlate --kafka` flags for the template over the in-process log, plus `extra`. */
function liveConfig(
  db: string,
  dir: string,
  templateId: string,
  extra: Record<string, string> = {},
) {
  const config = loadCorrelateConfig({
    flags: {
      template: templateId,
      // A placeholder for the flag's check: the in-process log replaces the client.
      kafka: 'in-process:0',
      db,
      topicPrefix: PREFIX,
      group: 'g',
      checkpointDir: join(dir, 'checkpoints'),
      ...extra,
    },
    env: {},
    readFile: (file) => readFileSync(file, 'utf8'),
  });
  if (config.input.kind !== 'kafka') throw new Error('expected a live configuration');
  return { config, input: config.input };
}

async function sessionsOf(store: Store): Promise<Session[]> {
  const sessions: Session[] = [];
  for await (const session of store.sessions.export({ templateId: 'in-app-purchase' })) {
    if (session.mergedInto === null) sessions.push(session);
  }
  return sessions;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * `weft correlate --kafka` over the in-process log (`createInProcessKafka`),
 * no broker: a live run following a template stores its sessions, sees a
 * version published that changes the sources, rebuilds its pipeline in the
 * process, and ends with one summary for both pipelines and no consumer lag
 * left on /metrics.
 */
describe('live run over the in-process log, with a rebuild', () => {
  let dir: string;
  let store: Store;
  let summary: RunSummary;
  let produced = 0;
  let before: Session[] = [];
  let after: Session[] = [];
  const metrics = createMetrics();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'weft-live-in-process-'));
    const opened = await storeWithVersion1(dir);
    store = opened.store;
    const { db, v1 } = opened;

    const kafka = createInProcessKafka();
    const simulation = createSimulation({
      scenario: 'in-app-purchase',
      orders: ORDERS,
      seed: 7,
      start: Date.now() - 4 * 3_600_000,
      spanHours: 2,
      faults: 'none',
    });
    await kafka
      .admin()
      .createTopics(
        simulation.sources.map((source) => ({ topic: topicOf(source, PREFIX), numPartitions: 3 })),
      );
    const producer = kafka.producer();
    for (const event of simulation.events()) {
      if (event.type !== 'record') continue;
      const record: RecordEvent = event;
      await producer.send(topicOf(record.source, PREFIX), [
        { key: record.key, value: record.line, timestamp: record.arrival },
      ]);
      produced += 1;
    }

    const { config, input } = liveConfig(db, dir, v1.id, {
      templatePoll: '200ms',
      checkpointInterval: '1s',
    });
    const stop = new AbortController();
    const running = runLiveCorrelate({
      config,
      input,
      template: await loadTemplateRef({ kind: 'stored', id: v1.id }, store),
      followTemplate: v1.id,
      stored: true,
      store,
      metrics,
      logger: createLogger({ level: 'silent' }),
      health: createHealthChecks(),
      now: Date.now,
      signal: stop.signal,
      kafka,
    });
    try {
      before = await until(
        `${ORDERS} sessions of version 1`,
        async () => {
          const sessions = await sessionsOf(store);
          return sessions.length === ORDERS ? sessions : undefined;
        },
        60_000,
      );
      await store.templates.save({
        templateId: v1.id,
        version: 2,
        status: 'published',
        definition: version2(v1),
      });
      after = await until(
        `every session rewritten by version 2`,
        async () => {
          const sessions = await sessionsOf(store);
          return sessions.length === ORDERS && sessions.every((s) => s.templateVersion === 2)
            ? sessions
            : undefined;
        },
        60_000,
      );
    } finally {
      stop.abort();
      summary = await running;
    }
  }, 150_000);

  afterAll(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('stores every order as one session, then rebuilds them all with the new version', () => {
    expect(before.every((s) => s.templateVersion === 1)).toBe(true);
    expect(after.map((s) => s.businessKey).sort()).toEqual(before.map((s) => s.businessKey).sort());
    const callbacks = after.flatMap((s) =>
      s.nodes.filter((n) => n.node === 'channel_callback').flatMap((n) => n.records),
    );
    expect(callbacks.length).toBeGreaterThan(0);
    for (const record of callbacks) expect(record.fields).toHaveProperty('trade_status_v2');
  });

  it('sums both pipelines in the run summary: the rebuild read the records again', () => {
    const read = Object.values(summary.inputs).reduce((sum, count) => sum + count, 0);
    expect(read).toBeGreaterThan(produced);
    expect(summary.sessions).toBe(ORDERS);
    expect(summary.sessionVersions).toBeGreaterThanOrEqual(2 * ORDERS);
  });

  it('leaves no consumer lag of its partitions on /metrics once it has stopped', async () => {
    const lag = await metrics.consumerLag.get();
    expect(lag.values).toEqual([]);
  });
});

/** A live run stopped while it starts (here: while it claims its epoch) ends instead of waiting forever. */
describe('live run over the in-process log, stopped while starting', () => {
  it('returns once its epoch is claimed, with nothing read', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'weft-live-stopped-'));
    const { db, store, v1 } = await storeWithVersion1(dir);
    try {
      const kafka = createInProcessKafka();
      await kafka
        .admin()
        .createTopics(
          v1.sources
            .filter((s) => s.kind !== 'sql')
            .map((s) => ({ topic: topicOf(s.id, PREFIX), numPartitions: 1 })),
        );
      const { config, input } = liveConfig(db, dir, v1.id);
      const stop = new AbortController();
      // The stop arrives after the abort listener of the run would have been useful to add.
      const stopping: Store = {
        ...store,
        epochs: {
          ...store.epochs,
          claim: async (...args: Parameters<Store['epochs']['claim']>) => {
            stop.abort();
            return store.epochs.claim(...args);
          },
        },
      };
      // Before the fix this never settled (the test's timeout).
      const summary = await runLiveCorrelate({
        config,
        input,
        template: await loadTemplateRef({ kind: 'stored', id: v1.id }, store),
        followTemplate: v1.id,
        stored: true,
        store: stopping,
        metrics: createMetrics(),
        logger: createLogger({ level: 'silent' }),
        health: createHealthChecks(),
        now: Date.now,
        signal: stop.signal,
        kafka,
      });
      expect(summary.inputs).toEqual({});
    } finally {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
