import { Command, CommanderError } from 'commander';
import { CorrelatorError, UsageError } from './errors.js';
import { register as registerConformance } from './commands/conformance.js';
import { register as registerTemplate } from './commands/template.js';
import { register as registerSimulate } from './commands/simulate.js';
import { register as registerScore } from './commands/score.js';
import { register as registerMigrate } from './commands/migrate.js';
import { register as registerExport } from './commands/export.js';
import { register as registerCorrelate } from './commands/correlate.js';
import { register as registerBackfill } from './commands/backfill.js';
import { register as registerDemo } from './commands/demo.js';
import { register as registerDimension } from './commands/dimension.js';
import { register as registerRetention } from './commands/retention.js';

/**
 * Builds the `weft` command tree. Each command lives in its own module under
 * `commands/` and only parses flags before calling into a package.
 */
export function buildProgram(): Command {
  const program = new Command('weft')
    .description('Weft: business-session correlation and HTAP troubleshooting')
    .showHelpAfterError()
    .exitOverride();
  registerConformance(program);
  registerTemplate(program);
  registerSimulate(program);
  registerScore(program);
  registerMigrate(program);
  registerExport(program);
  registerCorrelate(program);
  registerBackfill(program);
  registerDemo(program);
  registerDimension(program);
  registerRetention(program);
  return program;
}

/** Entry point used by bin/weft.js. Example: `await main(process.argv)`. */
export async function main(argv: readonly string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync([...argv]);
  } catch (error) {
    process.exitCode = exitCodeFor(error);
  }
}

function exitCodeFor(error: unknown): number {
  if (error instanceof CommanderError) return error.exitCode;
  if (error instanceof UsageError) {
    console.error(`weft: ${error.message}`);
    return 2;
  }
  if (
    error instanceof CorrelatorError ||
    (error instanceof Error && error.name.endsWith('Error'))
  ) {
    console.error(`weft: ${(error as Error).message}`);
    return 1;
  }
  throw error;
}
