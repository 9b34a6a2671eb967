import type { Store } from '@weft/storage';
import {
  compileTemplate,
  diffTemplates,
  formatChange,
  TemplateSchema,
  validateTemplate,
} from '@weft/templates';
import type { FieldValue, TemplateIssue } from '@weft/templates';

export interface SampleExtraction {
  source: string;
  ok: boolean;
  eventTime: number | null;
  fields: Record<string, FieldValue>;
  reason: string | null;
  nodes: string[];
}

export interface CheckResult {
  ok: boolean;
  errors: TemplateIssue[];
  warnings: TemplateIssue[];
  /** Changes against the published version (empty when nothing is published). */
  diff: { changes: string[]; requiresRestart: boolean; warnings: string[] } | null;
  /** What the draft extracts from each sample record, and which nodes it would feed. */
  samples: SampleExtraction[];
}

async function publishedOf(store: Store, templateId: unknown) {
  if (typeof templateId !== 'string') return null;
  const stored = await store.templates.get(templateId);
  const parsed = TemplateSchema.safeParse(stored?.definition);
  return parsed.success ? parsed.data : null;
}

/**
 * Validates a draft with @weft/templates (path-named errors), diffs it against
 * the published version, and runs its extractors over the sample records.
 */
export async function checkDraft(
  store: Store,
  draft: Record<string, unknown>,
  samples: { source: string; raw: unknown }[],
): Promise<CheckResult> {
  const result = validateTemplate(draft);
  if (!result.ok)
    return { ok: false, errors: result.errors, warnings: result.warnings, diff: null, samples: [] };
  const template = result.template;
  const published = await publishedOf(store, template.id);
  const diff = published ? diffTemplates(published, template) : null;
  const compiled = compileTemplate(template);
  const extracted = samples.map(({ source, raw }): SampleExtraction => {
    if (!template.sources.some((s) => s.id === source && s.kind !== 'sql')) {
      return {
        source,
        ok: false,
        eventTime: null,
        fields: {},
        reason: `"${source}" is not an event source of this template`,
        nodes: [],
      };
    }
    const out = compiled.extractor(source).extract(raw);
    if (!out.ok)
      return { source, ok: false, eventTime: null, fields: {}, reason: out.reason, nodes: [] };
    return {
      source,
      ok: true,
      eventTime: out.eventTime,
      fields: out.fields,
      reason: null,
      nodes: compiled.nodesFor(source, raw, out.fields),
    };
  });
  return {
    ok: true,
    errors: [],
    warnings: result.warnings,
    diff: diff && {
      changes: diff.changes.map(formatChange),
      requiresRestart: diff.requiresRestart,
      warnings: diff.warnings,
    },
    samples: extracted,
  };
}

export class PublishError extends Error {
  override name = 'PublishError' as const;
  constructor(readonly issues: { field: string; reason: string }[]) {
    super(issues.map((i) => `${i.field}: ${i.reason}`).join('; '));
  }
}

/** Publishes a valid draft as the next version (latest stored + 1); returns that version. */
export async function publishDraft(
  store: Store,
  draft: Record<string, unknown>,
  author: string,
  now: number,
): Promise<number> {
  const latest = typeof draft.id === 'string' ? await store.templates.get(draft.id) : undefined;
  const version = (latest?.version ?? 0) + 1;
  const stamp = new Date(now).toISOString();
  const result = validateTemplate({
    ...draft,
    version,
    status: 'published',
    author,
    updatedAt: stamp,
    createdAt: draft.createdAt ?? stamp,
  });
  if (!result.ok)
    throw new PublishError(
      result.errors.map((e) => ({ field: `definition.${e.path}`, reason: e.message })),
    );
  await store.templates.save({
    templateId: result.template.id,
    version,
    status: 'published',
    definition: result.template,
  });
  return version;
}
