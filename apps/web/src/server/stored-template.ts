import { TemplateSchema } from '@weft/templates';
import type { Template } from '@weft/templates';

/** Distinct template definitions kept parsed (a handful of templates × their live versions). */
const CAPACITY = 64;
const parsedByJson = new Map<string, Template | null>();

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

/**
 * A stored template definition validated by @weft/templates' schema, or null
 * when it is not a valid template. Every page that shows a session or a
 * dashboard needs its template, and the schema parse costs far more than the
 * lookup, so parsed definitions are kept by their content (an edited draft
 * is a new entry, never a stale one), least recently used out first. The
 * result is shared between requests and frozen: treat it as read-only.
 *
 * @example const template = parseStoredTemplate((await store.templates.get('purchase'))?.definition)
 */
export function parseStoredTemplate(definition: unknown): Template | null {
  if (definition === undefined || definition === null) return null;
  const key = JSON.stringify(definition);
  const cached = parsedByJson.get(key);
  if (cached !== undefined) {
    parsedByJson.delete(key);
    parsedByJson.set(key, cached);
    return cached;
  }
  const parsed = TemplateSchema.safeParse(definition);
  const template = parsed.success ? deepFreeze(parsed.data) : null;
  parsedByJson.set(key, template);
  if (parsedByJson.size > CAPACITY) parsedByJson.delete(parsedByJson.keys().next().value!);
  return template;
}
