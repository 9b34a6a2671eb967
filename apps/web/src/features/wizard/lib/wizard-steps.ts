import type { FieldType, TemplateIssue } from '@weft/templates';

/**
 * The wizard's steps and the pure edits it makes to a draft template (plain
 * JSON, as an analyst would write it). Assumes the draft is a JSON object;
 * sections it lacks are created.
 */
export const WIZARD_STEPS = [
  { id: 'sources', title: 'Sources and samples', sections: ['sources'] },
  { id: 'baseline', title: 'Business key and baseline', sections: ['baseline'] },
  { id: 'supplements', title: 'Supplements', sections: ['supplements', 'enrichment'] },
  { id: 'tree', title: 'Behavior tree', sections: ['tree'] },
  {
    id: 'logic',
    title: 'Derived fields and conclusions (CEL)',
    sections: ['derived', 'conclusions'],
  },
  { id: 'dashboards', title: 'Dashboard dimensions', sections: ['dashboards'] },
  {
    id: 'publish',
    title: 'Diff and publish',
    sections: [
      'id',
      'name',
      'description',
      'version',
      'status',
      'author',
      'createdAt',
      'updatedAt',
    ],
  },
] as const;
export type WizardStepId = (typeof WIZARD_STEPS)[number]['id'];

/** The validation issues that belong to a step (by the first segment of their path). */
export function issuesForStep(
  issues: readonly TemplateIssue[],
  step: WizardStepId,
): TemplateIssue[] {
  const sections: readonly string[] = WIZARD_STEPS.find((s) => s.id === step)?.sections ?? [];
  return issues.filter((issue) => {
    const head = issue.path.split(/[.[]/)[0] ?? '';
    return sections.includes(head) || (step === 'publish' && head === '');
  });
}

export interface SamplePath {
  path: string;
  value: unknown;
  type: FieldType;
}

/**
 * Every leaf of a sample record as a dot path with its suggested field type,
 * e.g. `account.device_id` (string). Arrays are leaves (extract them with CEL).
 */
export function samplePaths(raw: unknown, prefix = ''): SamplePath[] {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return prefix ? [{ path: prefix, value: raw, type: suggestType(prefix, raw) }] : [];
  }
  return Object.entries(raw as Record<string, unknown>).flatMap(([key, value]) =>
    samplePaths(value, prefix ? `${prefix}.${key}` : key),
  );
}

function suggestType(path: string, value: unknown): FieldType {
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'number')
    return /(^|[._])(ts|t|time|at|log_time|event_time_ms)$/.test(path) ? 'timestamp' : 'number';
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value)) return 'timestamp';
  return 'string';
}

/** A field name for a path: its last segment, snake_cased (`account.device_id` → `device_id`). */
export function fieldNameFor(path: string): string {
  const last = path.split('.').pop() ?? path;
  return last
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9_]/g, '_')
    .toLowerCase();
}

/**
 * Adds (or replaces) the extracted field for `path` on source `sourceId`.
 * Returns a new draft; the input is not changed.
 */
export function addExtractedField(
  draft: Record<string, unknown>,
  sourceId: string,
  sample: SamplePath,
): Record<string, unknown> {
  const sources = Array.isArray(draft.sources) ? (draft.sources as Record<string, unknown>[]) : [];
  const index = sources.findIndex((s) => s.id === sourceId);
  if (index < 0) return draft;
  const source = sources[index] as Record<string, unknown>;
  const fields = { ...((source.fields as Record<string, unknown> | undefined) ?? {}) };
  fields[fieldNameFor(sample.path)] = { path: sample.path, type: sample.type };
  const next = [...sources];
  next[index] = { ...source, fields };
  return { ...draft, sources: next };
}
