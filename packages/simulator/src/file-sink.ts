import { once } from 'node:events';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { DatasetSink, LineSink } from './sinks.js';

const CHUNK_BYTES = 1 << 20;
const NEWLINE = 0x0a;

/**
 * Lines are UTF-8-encoded straight into 1 MB buffers: one stream write per line,
 * or joining lines into big strings, would dominate a 1M-order run.
 */
function fileLineSink(path: string): LineSink {
  const stream = createWriteStream(path);
  let chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  let used = 0;
  const flush = (): Promise<void> | undefined => {
    if (used === 0) return undefined;
    const full = chunk.subarray(0, used);
    chunk = Buffer.allocUnsafe(CHUNK_BYTES);
    used = 0;
    return stream.write(full) ? undefined : once(stream, 'drain').then(() => undefined);
  };
  const append = (line: string): void => {
    if (line.length * 3 + 1 > CHUNK_BYTES) {
      stream.write(`${line}\n`);
      return;
    }
    used += chunk.write(line, used);
    chunk[used] = NEWLINE;
    used += 1;
  };
  return {
    write(line) {
      // Worst case UTF-8 is 3 bytes per UTF-16 unit: flush first when the line might not fit.
      const pending = used + line.length * 3 + 1 > CHUNK_BYTES ? flush() : undefined;
      if (pending === undefined) {
        append(line);
        return undefined;
      }
      return pending.then(() => append(line));
    },
    async close() {
      await flush();
      stream.end();
      await once(stream, 'finish');
    },
  };
}

/**
 * Writes each output as a file in `dir` (created if missing). Example:
 * `await runSimulation(simulation, { dataset: fileDatasetSink('out') })`.
 */
export function fileDatasetSink(dir: string): DatasetSink {
  mkdirSync(dir, { recursive: true });
  return { open: (name) => fileLineSink(join(dir, name)) };
}
