import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { SimulatorError, formatScoreReport, parseTruthLines, scoreSessions } from '@weft/simulator';
import type { ScoreReport } from '@weft/simulator';
import { SessionSchema } from '@weft/templates';
import type { Session } from '@weft/templates';
import { UsageError } from '../errors.js';

async function readLines(path: string, flag: string): Promise<string[]> {
  const lines: string[] = [];
  try {
    const input = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
    for await (const line of input) lines.push(line);
  } catch (error) {
    throw new UsageError(
      `cannot read ${flag} ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
    );
  }
  return lines;
}

function parseSessions(lines: readonly string[], path: string): Session[] {
  const sessions: Session[] = [];
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      throw new UsageError(
        `${path} line ${String(index + 1)} is not JSON; --sessions takes NDJSON, one Session per line.`,
      );
    }
    const parsed = SessionSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new UsageError(
        `${path} line ${String(index + 1)} is not a Session (${issue?.path.join('.') ?? ''}: ${issue?.message ?? ''}); export sessions with weft export.`,
      );
    }
    sessions.push(parsed.data);
  });
  return sessions;
}

/**
 * Scores a sessions file against a truth file. Example:
 * `await runScore({ truth: 'out/truth.ndjson', sessions: 'sessions.ndjson' })`.
 */
export async function runScore(options: { truth: string; sessions: string }): Promise<ScoreReport> {
  const truthLines = await readLines(options.truth, '--truth');
  const sessions = parseSessions(await readLines(options.sessions, '--sessions'), options.sessions);
  try {
    return scoreSessions(parseTruthLines(truthLines), sessions);
  } catch (error) {
    if (error instanceof SimulatorError) throw new UsageError(`${options.truth}: ${error.message}`);
    throw error;
  }
}

/** `weft score --truth DIR/truth.ndjson --sessions FILE [--json]`. */
export function register(program: Command): void {
  program
    .command('score')
    .description('Score correlated sessions against the simulator truth')
    .requiredOption('--truth <file>', 'truth.ndjson written by weft simulate')
    .requiredOption('--sessions <file>', 'NDJSON, one Session per line (e.g. from weft export)')
    .option('--json', 'print the report as JSON')
    .action(async (options: { truth: string; sessions: string; json?: boolean }) => {
      const report = await runScore(options);
      console.log(
        options.json === true ? JSON.stringify(report, null, 2) : formatScoreReport(report),
      );
    });
}
