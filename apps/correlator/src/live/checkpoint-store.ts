import { mkdir, open, readFile, readdir, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { LateRecordSchema } from '@weft/templates';
import { z } from 'zod';
import { CorrelatorError, messageOf } from '../errors.js';

export const CHECKPOINT_FORMAT = 'weft.correlator-checkpoint/1';

/** The checkpoint directory cannot be used (unwritable, or a write failed). */
export class CheckpointError extends CorrelatorError {
  override name = 'CheckpointError' as const;
}

const OffsetSchema = z.object({
  topic: z.string().min(1),
  partition: z.number().int().nonnegative(),
  nextOffset: z.string().regex(/^\d+$/u),
});

/**
 * One checkpoint: the state of the job and of the watermark after every
 * input before `offsets` was processed and every output up to then was
 * acknowledged by the store. The snapshots are the engine's own formats;
 * the engine validates them when restoring.
 */
const CheckpointSchema = z.object({
  format: z.literal(CHECKPOINT_FORMAT),
  sequence: z.number().int().nonnegative(),
  createdAt: z.string(),
  templateId: z.string(),
  templateVersion: z.number().int(),
  groupId: z.string(),
  /** The run's epoch when it was taken (see live-job's EPOCH_VERSIONS). */
  epoch: z.number().int().nonnegative(),
  /** The pipeline's running clock (the watermark's idleness clock). */
  clock: z.number().nonnegative(),
  /** Per topic-partition, the next offset to read. */
  offsets: z.array(OffsetSchema),
  watermark: z.unknown(),
  job: z.unknown(),
  /** Late records consumed from the side queue and not applied yet (absent before the side queue existed). */
  late: z.array(LateRecordSchema).default([]),
  /** The run's replay cut-off (`replayCutoff`), epoch ms; null or absent: none. */
  replayFrom: z.number().nullable().default(null),
});
export type Checkpoint = z.input<typeof CheckpointSchema>;
type ReadCheckpoint = z.output<typeof CheckpointSchema>;

const EpochSchema = z.object({ epoch: z.number().int().nonnegative() });
const NAME = /^checkpoint-(\d{12})\.json$/u;
const KEEP = 2;

/**
 * Checkpoints in one directory, written the way a crash cannot tear them:
 * a temporary file is written and fsynced, renamed into place, and the
 * directory fsynced; only the newest two are kept. Reading takes the newest
 * one that parses and validates, so a damaged newest file falls back to the
 * previous checkpoint (its offsets are older: the replay is longer, nothing
 * is lost).
 *
 * For several processes in one consumer group the directory must be on
 * storage they all reach (as Flink's checkpoint storage).
 *
 * @example
 * const store = checkpointStore('/var/lib/weft/checkpoints/g1');
 * const newest = await store.newest((file, why) => log.warn({ file, why }));
 */
export function checkpointStore(dir: string) {
  return {
    dir,
    /** The newest valid checkpoint, or null when there is none. */
    async newest(onInvalid: (file: string, why: string) => void): Promise<ReadCheckpoint | null> {
      for (const name of (await checkpointNames(dir)).reverse()) {
        const file = join(dir, name);
        try {
          const parsed = CheckpointSchema.safeParse(JSON.parse(await readFile(file, 'utf8')));
          if (parsed.success) return parsed.data;
          onInvalid(
            file,
            parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
          );
        } catch (error) {
          onInvalid(file, messageOf(error));
        }
      }
      return null;
    },
    /** Writes a checkpoint atomically and drops all but the newest two. */
    async write(checkpoint: Checkpoint): Promise<void> {
      const name = `checkpoint-${String(checkpoint.sequence).padStart(12, '0')}.json`;
      await writeAtomically(dir, name, JSON.stringify(checkpoint));
      const names = await checkpointNames(dir);
      for (const old of names.slice(0, Math.max(0, names.length - KEEP))) {
        await unlink(join(dir, old)).catch(() => undefined);
      }
    },
    /**
     * Takes the next epoch: what `claim` grants for at least one more than
     * any epoch seen in this directory (0 for a new one), recorded in the
     * directory before anything is processed. `claim` is the store's counter
     * (`store.epochs.claim`), which also outranks runs of other directories;
     * without it the directory alone decides.
     */
    async nextEpoch(
      newest: Checkpoint | null,
      claim: (atLeast: number) => Promise<number> = (atLeast) => Promise.resolve(atLeast),
    ): Promise<number> {
      let last = newest?.epoch ?? -1;
      try {
        last = Math.max(
          last,
          EpochSchema.parse(JSON.parse(await readFile(join(dir, 'epoch.json'), 'utf8'))).epoch,
        );
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
          throw new CheckpointError(
            `${join(dir, 'epoch.json')} is unreadable (${messageOf(error)}): restore it or remove the checkpoint directory ${dir} to start over.`,
          );
        }
      }
      const epoch = await claim(last + 1);
      await writeAtomically(dir, 'epoch.json', JSON.stringify({ epoch }));
      return epoch;
    },
  };
}

export type CheckpointStore = ReturnType<typeof checkpointStore>;

async function checkpointNames(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((name) => NAME.test(name)).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new CheckpointError(`cannot list the checkpoint directory ${dir}: ${messageOf(error)}`);
  }
}

async function writeAtomically(dir: string, name: string, text: string): Promise<void> {
  const temporary = join(dir, `.${name}.${process.pid}.tmp`);
  try {
    await mkdir(dir, { recursive: true });
    const file = await open(temporary, 'w');
    try {
      await file.writeFile(text);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temporary, join(dir, name));
    const directory = await open(dir, 'r');
    try {
      await directory.sync();
    } finally {
      await directory.close();
    }
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw new CheckpointError(
      `writing ${join(dir, name)} failed: ${messageOf(error)}. Check that --checkpoint-dir is writable and has space.`,
      { cause: error },
    );
  }
}
