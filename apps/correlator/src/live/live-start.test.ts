import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyMigrations, openStore } from '@weft/storage';
import type { Store } from '@weft/storage';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadTemplate } from '@weft/templates';
import type { Template } from '@weft/templates';
import {
  exampleDefinition,
  exampleTemplate,
  orderRecords,
} from '../../test/support/example-orders.js';
import { checkpointStore } from './checkpoint-store.js';
import type { CheckpointStore } from './checkpoint-store.js';
import { handOverTime, prepareLiveStart } from './live-start.js';
import type { LiveStartOptions } from './live-start.js';
import type { ProfileChanges, ProfileMirror } from './profile-mirror.js';

const partitions = exampleTemplate.sources.map((s) => ({
  topic: `weft.src.${s.id}`,
  partition: 0,
}));

/** A mirror that records what it was given and which checkpoint files existed when it saved. */
function recordingMirror(dir: string) {
  const collected: ProfileChanges[] = [];
  const saves: { epoch: number; checkpoint: number; files: string[] }[] = [];
  const mirror: ProfileMirror = {
    collect: (changes) => void collected.push(changes),
    save: async (epoch, checkpoint) => {
      const files = (await readdir(dir)).filter((name) => name.startsWith('checkpoint-'));
      saves.push({ epoch, checkpoint, files });
    },
  };
  return { mirror, collected, saves };
}

let dir: string;
let store: Store;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'weft-live-start-'));
  store = await openStore('sqlite::memory:');
  await applyMigrations(store);
});
afterEach(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

const start = (
  checkpoints: CheckpointStore,
  mirror?: ProfileMirror,
  more: Partial<LiveStartOptions> = {},
) =>
  prepareLiveStart({
    template: exampleTemplate,
    partitions,
    groupId: 'g1',
    checkpoints,
    claimEpoch: (atLeast) => store.epochs.claim(exampleTemplate.id, atLeast),
    now: () => 1_795_000_000_000,
    onInvalid: () => undefined,
    ...(mirror === undefined ? {} : { mirror }),
    ...more,
  });

const recordedEpoch = async (directory: string) =>
  (JSON.parse(await readFile(join(directory, 'epoch.json'), 'utf8')) as { epoch: number }).epoch;

describe("prepareLiveStart's epoch", () => {
  it('is above every earlier run of the template, in any checkpoint directory, and recorded in the new one', async () => {
    const earlier = join(dir, 'earlier');
    expect((await start(checkpointStore(earlier))).job.epoch).toBe(0);
    expect((await start(checkpointStore(earlier))).job.epoch).toBe(1);
    const rebuilt = join(dir, 'rebuilt');
    expect((await start(checkpointStore(rebuilt))).job.epoch).toBe(2);
    expect(await recordedEpoch(rebuilt)).toBe(2);
    expect((await start(checkpointStore(earlier))).job.epoch).toBe(3);
  });

  it("is the directory's next epoch when the store is behind it (a database that never saw the directory's runs)", async () => {
    await writeFile(join(dir, 'epoch.json'), JSON.stringify({ epoch: 9 }));
    expect((await start(checkpointStore(dir))).job.epoch).toBe(10);
    expect(await recordedEpoch(dir)).toBe(10);
    expect(await store.epochs.claim(exampleTemplate.id)).toBe(11);
  });

  it('fails the start before anything is recorded when the store cannot claim one', async () => {
    await store.close();
    await expect(start(checkpointStore(dir))).rejects.toThrow();
    await expect(readdir(dir)).resolves.toEqual([]);
    store = await openStore('sqlite::memory:');
  });
});

describe('prepareLiveStart with a profile mirror', () => {
  it("hands each checkpoint's profile changes to the mirror and saves them once the file is durable, numbered within the epoch", async () => {
    const first = recordingMirror(dir);
    const run = await start(checkpointStore(dir), first.mirror);
    if (run.save === null) throw new Error('no save');
    await run.save(run.job, []);
    await run.save(run.job, []);
    expect(first.collected).toHaveLength(2);
    expect(first.collected[0]?.profiles?.header.format).toBe('weft.profiles/1');
    expect(first.saves).toEqual([
      { epoch: 0, checkpoint: 1, files: ['checkpoint-000000000001.json'] },
      {
        epoch: 0,
        checkpoint: 2,
        files: ['checkpoint-000000000001.json', 'checkpoint-000000000002.json'],
      },
    ]);

    const second = recordingMirror(dir);
    const restarted = await start(checkpointStore(dir), second.mirror);
    await restarted.save?.(restarted.job, []);
    expect(second.saves.map((s) => [s.epoch, s.checkpoint])).toEqual([[1, 1]]);
  });

  it('does not save to storage what a checkpoint that failed to write took; the mirror keeps it', async () => {
    const recording = recordingMirror(dir);
    const real = checkpointStore(dir);
    const failing: CheckpointStore = {
      ...real,
      write: () => Promise.reject(new Error('disk full')),
    };
    const run = await start(failing, recording.mirror);
    await expect(run.save?.(run.job, [])).rejects.toThrow('disk full');
    expect(recording.collected).toHaveLength(1);
    expect(recording.saves).toEqual([]);
  });
});

const t0 = Date.parse('2026-11-24T00:00:00Z');

/** Version 2 of the example: the same state (a relabelled conclusion), or new state (a source extracts one more field). */
function version2(change: 'conclusions' | 'sources'): Template {
  const definition = exampleDefinition() as Omit<
    ReturnType<typeof exampleDefinition>,
    'sources'
  > & {
    sources: { id: string; fields?: Record<string, unknown> }[];
  };
  definition.version = 2;
  if (change === 'conclusions') definition.conclusions[0]!.label = 'relabelled';
  else
    definition.sources.find((s) => s.id === 'channel_callback')!.fields!['trade_status_v2'] = {
      path: 'trade_status',
      type: 'string',
    };
  return loadTemplate(definition);
}

/** The partitions of the tests below: the baseline's, so that two orders move the watermark. */
const baselinePartitions = ['client_order', 'pay_page', 'receipt', 'pay_done'].map((id) => ({
  topic: `weft.src.${id}`,
  partition: 0,
}));

/** A checkpoint of version 1 after two orders, its job's watermark past them; returns that watermark. */
async function checkpointOfVersion1(checkpoints: CheckpointStore): Promise<number> {
  const run = await start(checkpoints, undefined, { partitions: baselinePartitions });
  let offset = 0;
  for (const [i, at] of [t0, t0 + 60_000].entries()) {
    for (const { source, raw } of orderRecords(`O${i}`, at)) {
      const origin = { topic: `weft.src.${source}`, partition: 0, offset: String(offset++) };
      run.job.push({ source, raw, origin, partition: `${origin.topic}:0` }, t0);
    }
  }
  run.job.tick(t0 + 1_000, false);
  const watermark = run.job.job.currentWatermark;
  expect(Number.isFinite(watermark)).toBe(true);
  await run.save?.(run.job, []);
  return watermark;
}

const storedVersion1 = (version: number) => Promise.resolve(version === 1 ? exampleTemplate : null);

describe('prepareLiveStart after a new template version', () => {
  it("rebuilds when the checkpoint's version holds other state: a new job, handing over at the watermark minus the settle delay", async () => {
    const checkpoints = checkpointStore(dir);
    const watermark = await checkpointOfVersion1(checkpoints);
    const next = version2('sources');
    const run = await start(checkpoints, undefined, {
      template: next,
      storedVersion: storedVersion1,
      partitions: baselinePartitions,
    });
    // gap 20m + maxSpan 2h + allowed lateness 5m, the same in both versions
    const from = watermark - (20 + 120 + 5) * 60_000;
    expect(run.rebuild).toEqual({ previous: 1, from });
    expect(run.restored).toBeNull();
    expect(run.replayFrom).toBe(from);
    expect(run.job.openSessions).toBe(0);
    expect(run.job.epoch).toBe(1);
    // The directory's sequence goes on, and the hand-over is kept for the restarts that follow.
    await run.save?.(run.job, []);
    const saved = await checkpoints.newest(() => undefined);
    expect(saved).toMatchObject({ sequence: 2, templateVersion: 2, replayFrom: from });
    const restarted = await start(checkpoints, undefined, {
      template: next,
      storedVersion: storedVersion1,
      partitions: baselinePartitions,
    });
    expect(restarted.rebuild).toBeNull();
    expect(restarted.restored?.sequence).toBe(2);
    expect(restarted.replayFrom).toBe(from);
  });

  it('restores the state when the new version can take it over (only what a firing computes changed)', async () => {
    const checkpoints = checkpointStore(dir);
    await checkpointOfVersion1(checkpoints);
    const run = await start(checkpoints, undefined, {
      template: version2('conclusions'),
      storedVersion: storedVersion1,
      partitions: baselinePartitions,
    });
    expect(run.rebuild).toBeNull();
    expect(run.restored?.sequence).toBe(1);
    expect(run.replayFrom).toBeNull();
    expect(run.job.openSessions).toBe(2);
  });

  it('rebuilds from the start of the topics when the previous run had no watermark yet', async () => {
    const checkpoints = checkpointStore(dir);
    const first = await start(checkpoints);
    await first.save?.(first.job, []);
    const run = await start(checkpoints, undefined, {
      template: version2('sources'),
      storedVersion: storedVersion1,
      partitions: baselinePartitions,
    });
    expect(run.rebuild).toEqual({ previous: 1, from: null });
    expect(run.replayFrom).toBeNull();
  });

  it("refuses to guess when the store no longer holds the checkpoint's version", async () => {
    const checkpoints = checkpointStore(dir);
    await checkpointOfVersion1(checkpoints);
    await expect(
      start(checkpoints, undefined, {
        template: version2('sources'),
        storedVersion: () => Promise.resolve(null),
        partitions: baselinePartitions,
      }),
    ).rejects.toThrow(
      /version 1 of in-app-purchase, which the store no longer holds.*--checkpoint-dir/su,
    );
  });
});

describe('handOverTime', () => {
  it('is the watermark minus the larger settle delay (gap + maxSpan + allowed lateness) of the two versions', () => {
    const longer = loadTemplate({
      ...exampleDefinition(),
      version: 2,
      baseline: { ...exampleTemplate.baseline, gap: '30m', maxSpan: '3h', allowedLateness: '0s' },
    });
    const w = Date.parse('2026-11-24T12:00:00Z');
    expect(handOverTime(w, exampleTemplate, longer)).toBe(w - 210 * 60_000);
    expect(handOverTime(w, longer, exampleTemplate)).toBe(w - 210 * 60_000);
    expect(handOverTime(w, exampleTemplate, exampleTemplate)).toBe(w - 145 * 60_000);
  });

  it('waits out a supplement join wider than that', () => {
    const definition = exampleDefinition() as ReturnType<typeof exampleDefinition> & {
      supplements: { upper: string }[];
    };
    definition.version = 2;
    definition.supplements[0]!.upper = '4h';
    const w = Date.parse('2026-11-24T12:00:00Z');
    expect(handOverTime(w, exampleTemplate, loadTemplate(definition))).toBe(w - 4 * 3_600_000 - 1);
  });
});
