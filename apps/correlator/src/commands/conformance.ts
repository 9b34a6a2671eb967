import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { EngineError, runConformance } from '@weft/engine';
import { UsageError } from '../errors.js';

/**
 * Runs one engine conformance scenario (shared/conformance/README.md) and
 * returns the output object as one JSON line. A file that cannot be read,
 * parsed or validated is a usage error.
 *
 * Example: `runConformanceFile('cases/interval-join-inclusive.json')`.
 */
export function runConformanceFile(file: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(
      `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
    );
  }
  let scenario: unknown;
  try {
    scenario = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  try {
    return JSON.stringify(runConformance(scenario, file));
  } catch (error) {
    if (error instanceof EngineError) throw new UsageError(error.message);
    throw error;
  }
}

export function register(program: Command): void {
  program
    .command('conformance')
    .description(
      'Run an engine conformance scenario and print what the operator emitted, as one JSON line',
    )
    .argument('<file>', 'scenario JSON file (see shared/conformance/README.md)')
    .action((file: string) => {
      console.log(runConformanceFile(file));
    });
}
