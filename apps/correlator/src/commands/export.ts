import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { once } from 'node:events';
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { openStoreForCli } from './migrate.js';

/**
 * `weft export --db URL [--template ID] [--out FILE]`: every stored session
 * as NDJSON, one `Session` per line (nodes with their records, raw as
 * received), in session-id order. Returns the number of sessions written.
 */
export async function runExport(
  options: { db: string; template?: string },
  sink: Writable = process.stdout,
): Promise<number> {
  const store = await openStoreForCli(options.db);
  let count = 0;
  try {
    const sessions = store.sessions.export(
      options.template === undefined ? {} : { templateId: options.template },
    );
    for await (const session of sessions) {
      if (!sink.write(`${JSON.stringify(session)}\n`)) await once(sink, 'drain');
      count += 1;
    }
  } finally {
    await store.close();
  }
  return count;
}

export function register(program: Command): void {
  program
    .command('export')
    .description('Export stored sessions as NDJSON, one Session per line')
    .requiredOption('--db <url>', 'mysql://user[:pass]@host:port/db or sqlite:PATH')
    .option('--template <id>', 'only sessions of this template')
    .option('--out <file>', 'write to this file instead of stdout')
    .action(async (options: { db: string; template?: string; out?: string }) => {
      if (options.out === undefined) {
        await runExport(options);
        return;
      }
      const file = createWriteStream(options.out);
      try {
        await once(file, 'open');
      } catch (error) {
        throw new UsageError(
          `cannot write ${options.out}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
        );
      }
      const count = await runExport(options, file);
      file.end();
      await once(file, 'finish');
      console.error(`exported ${count} sessions to ${options.out}`);
    });
}
