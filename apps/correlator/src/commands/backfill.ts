import type { Command } from 'commander';
import { runBackfill } from '../backfill/run-backfill.js';
import { withStopSignal } from './stop-signal.js';

/** `weft backfill`: replay NDJSON history through one template version; see apps/correlator/README.md. */
export function register(program: Command): void {
  program
    .command('backfill')
    .description(
      'Replay history (NDJSON files or Kafka topics) through a template version into the store (idempotent; a newer version supersedes)',
    )
    .requiredOption('--template <ref>', 'template JSON file, or published template ID[@VERSION]')
    .option(
      '--input <path...>',
      'directories holding <source>.ndjson files, or such files (several allowed)',
    )
    .option(
      '--kafka <brokers>',
      'instead of --input: read the source topics of these brokers (host:port,…) from --from to their current end',
    )
    .option(
      '--topic-prefix <prefix>',
      'with --kafka: the topic of source S is <prefix>S',
      'weft.src.',
    )
    .option('--db <url>', 'mysql://user[:pass]@host:port/db or sqlite:PATH (WEFT_DB)')
    .option('--from <time>', 'replay records with event time ≥ this (ISO 8601 or epoch ms)')
    .option('--to <time>', 'and < this')
    .option('--batch-max-records <n>', 'store writes carry at most this many items', '500')
    .option('--sink-max-queued <n>', 'pause reading above this many items not yet stored', '10000')
    .option('--log-level <level>', 'fatal|error|warn|info|debug|trace|silent', 'warn')
    .action(async (flags: Record<string, unknown>) => {
      await withStopSignal((signal) =>
        runBackfill({
          flags,
          env: process.env,
          out: (line) => console.log(line),
          now: Date.now,
          tty: process.stderr.isTTY === true,
          signal,
        }),
      );
    });
}
