import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CHECKPOINT_FORMAT, CheckpointError, checkpointStore } from './checkpoint-store.js';
import type { Checkpoint } from './checkpoint-store.js';

function checkpoint(sequence: number, epoch = 0): Checkpoint {
  return {
    format: CHECKPOINT_FORMAT,
    sequence,
    createdAt: '2026-11-24T00:00:00.000Z',
    templateId: 'in-app-purchase',
    templateVersion: 1,
    groupId: 'g',
    epoch,
    clock: 1_000 * sequence,
    offsets: [{ topic: 'weft.src.pay_done', partition: 0, nextOffset: String(10 * sequence) }],
    watermark: { any: 'engine snapshot' },
    job: { sequence },
    late: [],
    replayFrom: null,
  };
}

describe('checkpointStore', () => {
  let dir: string;
  const invalid: string[] = [];
  const onInvalid = (file: string, why: string) => invalid.push(`${file}: ${why}`);

  beforeEach(async () => {
    dir = join(await mkdtemp(join(tmpdir(), 'weft-cp-')), 'nested', 'checkpoints');
    invalid.length = 0;
  });
  afterEach(async () => {
    await rm(join(dir, '..', '..'), { recursive: true, force: true });
  });

  it('has no checkpoint in a new directory and starts at epoch 0, then counts epochs up', async () => {
    const store = checkpointStore(dir);
    expect(await store.newest(onInvalid)).toBeNull();
    expect(await store.nextEpoch(null)).toBe(0);
    expect(await store.nextEpoch(null)).toBe(1);
    expect(JSON.parse(await readFile(join(dir, 'epoch.json'), 'utf8'))).toEqual({ epoch: 1 });
    // A checkpoint from a later epoch than the file (cannot happen unless the file was replaced) still wins.
    expect(await store.nextEpoch(checkpoint(1, 7))).toBe(8);
  });

  it('keeps the newest two checkpoints, leaves no temporary files, and reads back the newest', async () => {
    const store = checkpointStore(dir);
    for (const sequence of [1, 2, 3, 4]) await store.write(checkpoint(sequence));
    expect((await readdir(dir)).sort()).toEqual([
      'checkpoint-000000000003.json',
      'checkpoint-000000000004.json',
    ]);
    expect(await store.newest(onInvalid)).toEqual(checkpoint(4));
    expect(invalid).toEqual([]);
  });

  it('reads a checkpoint written before the late side queue and the replay cut-off existed as one with neither', async () => {
    const store = checkpointStore(dir);
    const { late: _absent, replayFrom: _none, ...older } = checkpoint(5);
    await store.write(older);
    expect(await store.newest(onInvalid)).toEqual(checkpoint(5));
  });

  it('falls back to the previous checkpoint when the newest is damaged, and says which file it skipped', async () => {
    const store = checkpointStore(dir);
    await store.write(checkpoint(1));
    await store.write(checkpoint(2));
    await writeFile(
      join(dir, 'checkpoint-000000000002.json'),
      '{"format":"weft.correlator-checkpoint/1","seq',
    );
    expect((await store.newest(onInvalid))?.sequence).toBe(1);
    expect(invalid).toHaveLength(1);
    expect(invalid[0]).toContain('checkpoint-000000000002.json');
    await writeFile(join(dir, 'checkpoint-000000000003.json'), JSON.stringify({ format: 'other' }));
    expect((await store.newest(onInvalid))?.sequence).toBe(1);
    expect(invalid[1]).toMatch(/checkpoint-000000000003\.json: format/u);
  });

  it('refuses an unreadable epoch file instead of reusing an epoch', async () => {
    const store = checkpointStore(dir);
    await store.nextEpoch(null);
    await writeFile(join(dir, 'epoch.json'), 'garbage');
    await expect(store.nextEpoch(null)).rejects.toThrow(CheckpointError);
  });

  it('names the file and the flag when it cannot write', async () => {
    const root = join(dir, '..', '..');
    await writeFile(join(root, 'a-file'), 'x');
    const store = checkpointStore(join(root, 'a-file', 'sub'));
    await expect(store.write(checkpoint(1))).rejects.toThrow(
      /a-file\/sub\/checkpoint-000000000001\.json failed: .*--checkpoint-dir/u,
    );
  });
});
