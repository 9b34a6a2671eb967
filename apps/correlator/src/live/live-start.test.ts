import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

describe('prepareLiveStart with a profile mirror', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'weft-live-start-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const start = (checkpoints: CheckpointStore, mirror: ProfileMirror) =>
    prepareLiveStart({
      template: exampleTemplate,
      partitions,
      groupId: 'g1',
      checkpoints,
      now: () => 1_795_000_000_000,
      onInvalid: () => undefined,
      mirror,
    });

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
