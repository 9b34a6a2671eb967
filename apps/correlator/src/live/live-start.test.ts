import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyMigrations, openStore } from '@weft/storage';
import type { Store } from '@weft/storage';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exampleTemplate } from '../../test/support/example-orders.js';
import { checkpointStore } from './checkpoint-store.js';
import type { CheckpointStore } from './checkpoint-store.js';
import { prepareLiveStart } from './live-start.js';
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

const start = (checkpoints: CheckpointStore, mirror?: ProfileMirror) =>
  prepareLiveStart({
    template: exampleTemplate,
    partitions,
    groupId: 'g1',
    checkpoints,
    claimEpoch: (atLeast) => store.epochs.claim(exampleTemplate.id, atLeast),
    now: () => 1_795_000_000_000,
    onInvalid: () => undefined,
    ...(mirror === undefined ? {} : { mirror }),
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
