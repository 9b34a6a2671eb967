import type { z } from 'zod';
import { checkDashboards } from './check-dashboards.js';
import { checkEntities } from './check-entities.js';
import { checkExpressions } from './check-expressions.js';
import { checkJoins, checkSupplementBounds } from './check-joins.js';
import { checkSourcesAndBaseline, checkUnique } from './check-sources.js';
import { checkTree } from './check-tree.js';
import { TemplateValidationError } from './errors.js';
import { formatPath, IssueList, type TemplateIssue } from './issues.js';
import { TemplateSchema, type Template } from './template.js';

/** Errors after which the session field set is unknown: later checks would only echo them. */
const UNRESOLVED = new Set([
  'unknown_source',
  'not_event_source',
  'not_sql_source',
  'duplicate_id',
  'duplicate_node',
]);

function blocked(errors: IssueList): boolean {
  return errors.items.some(
    (issue) =>
      UNRESOLVED.has(issue.code) ||
      (issue.path.startsWith('enrichment') && issue.code !== 'field_collision'),
  );
}

/** The outcome of {@link validateTemplate}: the parsed template, or every problem found. */
export type ValidationResult =
  | { ok: true; template: Template; warnings: TemplateIssue[] }
  | { ok: false; errors: TemplateIssue[]; warnings: TemplateIssue[] };

/**
 * Validates a template (a parsed JSON value, or JSON text): shape first, then
 * references, durations, the tree, dashboards and every CEL expression.
 * Never throws on bad input.
 *
 * @example
 * const result = validateTemplate(JSON.parse(text));
 * if (!result.ok) for (const e of result.errors) console.error(`${e.path}: ${e.message}`);
 */
export function validateTemplate(input: unknown): ValidationResult {
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input) as unknown;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return {
        ok: false,
        errors: [{ path: '', code: 'not_json', message: `not valid JSON: ${reason}` }],
        warnings: [],
      };
    }
  }
  const parsed = TemplateSchema.safeParse(value);
  if (!parsed.success) {
    return {
      ok: false,
      errors: parsed.error.issues.map((issue) => fromZodIssue(issue, value)),
      warnings: [],
    };
  }
  const template = parsed.data;
  const errors = new IssueList();
  // Staged: a later stage runs only when the references it builds on resolve,
  // so one mistake yields one error instead of a cascade.
  checkSourcesAndBaseline(errors, template);
  checkSupplementBounds(errors, template);
  if (!blocked(errors)) {
    checkJoins(errors, template);
    checkTree(errors, template);
    checkUnique(
      errors,
      template.derived.map((d) => ({ id: d.name })),
      'derived',
      'derived field',
    );
    checkUnique(errors, template.conclusions, 'conclusions', 'conclusion');
    checkEntities(errors, template);
  }
  if (!blocked(errors)) {
    checkDashboards(errors, template);
    checkExpressions(errors, template);
  }
  const warnings = collectWarnings(template);
  if (errors.items.length > 0) return { ok: false, errors: errors.items, warnings };
  return { ok: true, template, warnings };
}

/**
 * Validates and returns the parsed template, or throws a
 * {@link TemplateValidationError} listing every problem.
 *
 * @example const template = loadTemplate(JSON.parse(readFileSync(file, 'utf8')));
 */
export function loadTemplate(input: unknown): Template {
  const result = validateTemplate(input);
  if (!result.ok) throw new TemplateValidationError(result.errors);
  return result.template;
}

function collectWarnings(template: Template): TemplateIssue[] {
  const warnings: TemplateIssue[] = [];
  if (template.conclusions.length === 0)
    warnings.push({
      path: 'conclusions',
      code: 'no_conclusions',
      message: 'no conclusion models: sessions will carry no verdict',
    });
  const baselineSources = new Set(template.baseline.nodes.map((n) => n.source));
  template.sources.forEach((source, i) => {
    const key = source.fields[template.baseline.key];
    if (baselineSources.has(source.id) && key !== undefined && !key.required)
      warnings.push({
        path: `sources[${i}].fields.${template.baseline.key}.required`,
        code: 'key_not_required',
        message: `the business key is optional here, so a record without it extracts as null; set "required": true to dead-letter such records at extraction`,
      });
  });
  return warnings;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let current = root;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

function fromZodIssue(issue: z.core.$ZodIssue, root: unknown): TemplateIssue {
  const path = formatPath(issue.path);
  const input = valueAt(root, issue.path);
  switch (issue.code) {
    case 'unrecognized_keys':
      return {
        path,
        code: 'unknown_property',
        message: `unknown propert${issue.keys.length === 1 ? 'y' : 'ies'} ${issue.keys.map((k) => `"${k}"`).join(', ')}: remove or fix the spelling`,
      };
    case 'invalid_type':
      return {
        path,
        code: 'invalid_type',
        message:
          input === undefined
            ? `required: expected ${issue.expected}`
            : `expected ${issue.expected}, got ${describe(input)}`,
      };
    case 'invalid_value':
      return {
        path,
        code: 'invalid_value',
        message: `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, got ${describe(input)}`,
      };
    case 'invalid_union':
      return { path, code: 'invalid_value', message: unionMessage(path, issue, input) };
    default:
      return { path, code: issue.code, message: issue.message };
  }
}

function unionMessage(path: string, issue: z.core.$ZodIssueInvalidUnion, input: unknown): string {
  if (path.endsWith('earlyFire'))
    return 'expected {"all": true}, {"nodes": ["node_id", …]} or {"expr": "CEL"}';
  if (/^sources\[\d+\]\.kind$/.test(path))
    return `expected "kafka" (a topic), "ndjson" (a file or directory) or "sql" (a dimension table), got ${describe(input)}`;
  return issue.message;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return JSON.stringify(value);
}
