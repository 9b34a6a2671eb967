import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import {
  diffTemplates,
  formatChange,
  templateJsonSchema,
  validateTemplate,
  type Template,
  type TemplateIssue,
} from '@weft/templates';
import { UsageError } from '../errors.js';

/** Where a template command writes; injectable for tests. */
export interface TemplateIo {
  out(line: string): void;
  err(line: string): void;
}

const consoleIo: TemplateIo = {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
};

/** Reads and parses a JSON file; unreadable or not JSON is a usage error (exit 2). */
function readJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(
      `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
    );
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new UsageError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
}

function printIssues(
  io: TemplateIo,
  file: string,
  label: string,
  issues: readonly TemplateIssue[],
): void {
  for (const issue of issues)
    io.err(`${file}: ${label} ${issue.path || '(root)'}: ${issue.message}`);
}

/** One-line summary of a valid template. */
export function summarize(t: Template): string {
  const events = t.sources.filter((s) => s.kind !== 'sql').length;
  const n = (count: number, noun: string): string => `${count} ${noun}${count === 1 ? '' : 's'}`;
  return [
    `${t.id} v${t.version} (${t.status})`,
    `${n(t.sources.length, 'source')} (${events} event, ${t.sources.length - events} sql)`,
    `${n(t.baseline.nodes.length, 'baseline node')} keyed by ${t.baseline.key}`,
    n(t.supplements.length, 'supplement'),
    n(t.enrichment.length, 'enrichment'),
    n(t.derived.length, 'derived field'),
    n(t.conclusions.length, 'conclusion'),
    n(t.dashboards.length, 'dashboard'),
  ].join(', ');
}

/** `weft template validate FILE`: 0 valid, 1 invalid; throws UsageError (2) when unreadable. */
export function runValidate(file: string, io: TemplateIo = consoleIo): number {
  const result = validateTemplate(readJson(file));
  printIssues(io, file, 'warning', result.warnings);
  if (!result.ok) {
    printIssues(io, file, 'error', result.errors);
    io.err(
      `${file}: invalid (${result.errors.length} error${result.errors.length === 1 ? '' : 's'})`,
    );
    return 1;
  }
  io.out(`OK ${file}: ${summarize(result.template)}`);
  return 0;
}

/** `weft template diff A B`: prints the changes; 0 when both are valid, 1 otherwise. */
export function runDiff(fileA: string, fileB: string, io: TemplateIo = consoleIo): number {
  const a = validateTemplate(readJson(fileA));
  const b = validateTemplate(readJson(fileB));
  if (!a.ok || !b.ok) {
    if (!a.ok) printIssues(io, fileA, 'error', a.errors);
    if (!b.ok) printIssues(io, fileB, 'error', b.errors);
    io.err('diff needs two valid templates; fix the errors above');
    return 1;
  }
  const diff = diffTemplates(a.template, b.template);
  for (const warning of diff.warnings) io.err(`warning: ${warning}`);
  if (diff.changes.length === 0) {
    io.out('no changes');
    return 0;
  }
  for (const change of diff.changes) io.out(formatChange(change));
  io.out(
    diff.requiresRestart
      ? `${diff.changes.length} changes; requires a pipeline restart (marked "(restart)")`
      : `${diff.changes.length} changes; can be applied live`,
  );
  return 0;
}

/** `weft template validate | diff | schema`: analysis template tooling (issue #3). */
export function register(program: Command): void {
  const template = program
    .command('template')
    .description('Validate, diff and export analysis templates');
  template
    .command('validate')
    .description('Validate a template file: prints OK and a summary, or every error (exit 1)')
    .argument('<file>', 'template JSON file')
    .action((file: string) => {
      process.exitCode = runValidate(file);
    });
  template
    .command('diff')
    .description('List what changed between two template versions and whether it needs a restart')
    .argument('<a>', 'old template JSON file')
    .argument('<b>', 'new template JSON file')
    .action((a: string, b: string) => {
      process.exitCode = runDiff(a, b);
    });
  template
    .command('schema')
    .description('Print the JSON Schema of analysis templates (for editors and the wizard)')
    .action(() => {
      console.log(JSON.stringify(templateJsonSchema(), null, 2));
    });
}
