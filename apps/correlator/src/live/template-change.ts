import type { Store, StoredTemplate } from '@weft/storage';
import { isEventSource, loadTemplate } from '@weft/templates';
import type { Template } from '@weft/templates';
import { messageOf } from '../errors.js';

/**
 * Whether a new template version can take over the live job's state: the
 * same event sources (topics, extraction, watermarks), the same baseline
 * (key, nodes, windowing, trigger) and the same supplement joins. What may
 * differ is what a firing computes from that state — enrichment, derived
 * fields, conclusions, tree, dashboards, texts — so the change applies from
 * the next firing on, like a broadcast-state update in Flink.
 *
 * @example stateCompatible(v1, v2) // true when only conclusions changed
 */
export function stateCompatible(current: Template, next: Template): boolean {
  const shape = (t: Template) =>
    JSON.stringify({
      sources: t.sources.filter(isEventSource),
      baseline: t.baseline,
      supplements: t.supplements,
    });
  return shape(current) === shape(next);
}

/**
 * The highest published version of a template in the store, or null when
 * none is published. A stored definition that no longer validates throws,
 * naming the version.
 *
 * @example const latest = await latestPublished(store, 'in-app-purchase');
 */
export async function latestPublished(
  store: Pick<Store, 'templates'>,
  templateId: string,
): Promise<Template | null> {
  const versions = await store.templates.versions(templateId);
  const published = versions
    .filter((v) => v.status === 'published')
    .sort((a, b) => b.version - a.version)[0];
  return published === undefined ? null : definitionOf(published);
}

/**
 * One stored version of a template (any status), or null when the store
 * does not hold it. A definition that no longer validates throws, naming the
 * version.
 *
 * @example const previous = await storedVersion(store, 'in-app-purchase', 3);
 */
export async function storedVersion(
  store: Pick<Store, 'templates'>,
  templateId: string,
  version: number,
): Promise<Template | null> {
  const stored = await store.templates.get(templateId, version);
  return stored === undefined ? null : definitionOf(stored);
}

function definitionOf(stored: StoredTemplate): Template {
  try {
    return loadTemplate(stored.definition);
  } catch (error) {
    throw new Error(
      `stored version ${stored.version} of template ${stored.templateId} does not validate: ${messageOf(error)}`,
      { cause: error },
    );
  }
}

/** What a poll found, for the live run to act on. */
export type TemplateChange =
  | { kind: 'none' }
  | { kind: 'compatible'; template: Template }
  | { kind: 'incompatible'; template: Template };

/**
 * Compares the newest published version with the one running.
 *
 * @example const change = await pollTemplate(() => latestPublished(store, id), job.compiled.template);
 */
export async function pollTemplate(
  fetchLatest: () => Promise<Template | null>,
  running: Template,
): Promise<TemplateChange> {
  const latest = await fetchLatest();
  if (latest === null || latest.version <= running.version) return { kind: 'none' };
  return stateCompatible(running, latest)
    ? { kind: 'compatible', template: latest }
    : { kind: 'incompatible', template: latest };
}
