import type { Command } from 'commander';
import { UsageError } from '../errors.js';

/** Placeholder: `weft backfill` is not implemented yet (tracked by issue #7). */
export function register(program: Command): void {
  program
    .command('backfill')
    .description('Replay history through a template (not implemented yet)')
    .allowUnknownOption()
    .action(() => {
      throw new UsageError('`weft backfill` is not implemented yet (issue #7).');
    });
}
