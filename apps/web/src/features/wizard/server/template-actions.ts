import type { Store } from '@weft/storage';
import type { RawInput } from '@weft/engine';
import { diffTemplates, formatChange, validateTemplate } from '@weft/templates';
import { parseStoredTemplate } from '@/server/stored-template';
import type { CheckResponse } from '../lib/check-response';
import { previewDraft } from './preview-draft';
import { readPreviewEnrichment } from './preview-enrichment';

export type CheckResult = CheckResponse;

async function publishedOf(store: Store, templateId: unknown) {
  if (typeof templateId !== 'string') return null;
  const stored = await store.templates.get(templateId);
  return parseStoredTemplate(stored?.definition);
}

/**
 * Validates a draft with @weft/templates (path-named errors), diffs it against
 * the published version, and correlates the sample lines with the engine,
 * enriched from the store's dimension tables.
 */
export async function checkDraft(
  store: Store,
  draft: Record<string, unknown>,
  samples: RawInput[],
): Promise<CheckResult> {
  const result = validateTemplate(draft);
  if (!result.ok)
    return {
      ok: false,
      errors: result.errors,
      warnings: result.warnings,
      diff: null,
      preview: null,
    };
  const template = result.template;
  const published = await publishedOf(store, template.id);
  const diff = published ? diffTemplates(published, template) : null;
  return {
    ok: true,
    errors: [],
    warnings: result.warnings,
    diff: diff && {
      changes: diff.changes.map(formatChange),
      requiresRestart: diff.requiresRestart,
      warnings: diff.warnings,
    },
    preview: await previewDraft(template, samples, await readPreviewEnrichment(store, template)),
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
