import cliProgress from 'cli-progress';
import type { Sink } from '../pipeline/index.js';
import { batchSize } from '../pipeline/index.js';
import type { RawInput } from '../sources/index.js';

/** What a backfill reports while it runs. */
export interface BackfillProgress {
  /** Counts an input read (its bytes and newline). */
  read(input: RawInput): void;
  /** The sink, counting items as they become durable. */
  counting(sink: Sink): Sink;
  /** Reading is done: `items` is what the job emitted and will be stored. */
  storing(items: number): void;
  stop(): void;
}

/**
 * A progress bar on stderr when it is a terminal (cli-progress): what was read
 * of the input's total — bytes of the files, or records of a Kafka read —
 * then items stored of what the job emitted. Elsewhere (CI, pipes) it
 * reports nothing; the summary line says what was done.
 *
 * @example const progress = backfillProgress({ total: totalBytes, unit: 'bytes' }, process.stderr.isTTY);
 */
export function backfillProgress(
  input: { total: number; unit: 'bytes' | 'records' },
  tty: boolean,
): BackfillProgress {
  if (!tty) {
    return {
      read: () => undefined,
      counting: (sink) => sink,
      storing: () => undefined,
      stop: () => undefined,
    };
  }
  const bar = new cliProgress.SingleBar(
    {
      format: '{phase} [{bar}] {percentage}% | {value}/{total} {unit}',
      stream: process.stderr,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let read = 0;
  let stored = 0;
  const { total, unit } = input;
  bar.start(Math.max(1, total), 0, { phase: 'reading', unit });
  return {
    read(raw) {
      read += unit === 'bytes' ? raw.bytes.length + 1 : 1;
      bar.update(Math.min(read, total)); // cli-progress redraws at most 10 times a second
    },
    counting: (sink) => ({
      async write(batch) {
        await sink.write(batch);
        stored += batchSize(batch);
        bar.update(stored);
      },
    }),
    storing(items) {
      stored = 0;
      bar.setTotal(Math.max(1, items));
      bar.update(0, { phase: 'storing', unit: 'items' });
    },
    stop: () => bar.stop(),
  };
}
