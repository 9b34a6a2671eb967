import type { Store } from '@weft/storage';
import { parseSearchInput } from '@/features/search';
import { parseStoredTemplate } from '@/server/stored-template';
import { entityHref, entityKindsOf } from '../lib/entity-kinds';
import { entityWhere } from './entity-sessions';

/** Kinds looked up at most per search (templates × kinds). */
const MAX_KIND_LOOKUPS = 20;

export interface EntityMatch {
  templateId: string;
  kind: string;
  kindLabel: string;
  key: string;
  href: string;
}

/**
 * The entities an operator's search names: a bare value is looked up in
 * every entity kind of every stored template (`D7` → device D7 when some
 * session has `device_id` D7); `device=D7` or `device_id=D7` only in the kind
 * with that id or field. An entity exists here when a session names it.
 *
 * @example await findEntities(store, 'D7') // [{ templateId: 'in-app-purchase', kind: 'device', key: 'D7', … }]
 */
export async function findEntities(store: Store, q: string): Promise<EntityMatch[]> {
  const input = parseSearchInput(q);
  if (input.kind === 'empty' || (input.kind === 'field' && input.op !== '=')) return [];
  const key = String(input.value);
  const named = input.kind === 'field' ? input.field : null;
  const lookups: (Omit<EntityMatch, 'key' | 'href'> & { field: string })[] = [];
  for (const stored of await store.templates.list()) {
    const template = parseStoredTemplate(stored.definition);
    for (const kind of template ? entityKindsOf(template) : []) {
      if (named !== null && named !== kind.id && named !== kind.field) continue;
      const { id, label, field } = kind;
      lookups.push({ templateId: stored.templateId, kind: id, kindLabel: label, field });
    }
  }
  const found = await Promise.all(
    lookups.slice(0, MAX_KIND_LOOKUPS).map(async ({ field, ...lookup }) => {
      const page = await store.sessions.search({
        templateId: lookup.templateId,
        where: entityWhere(field, key),
        limit: 1,
      });
      return page.sessions.length > 0
        ? { ...lookup, key, href: entityHref(lookup.templateId, lookup.kind, key) }
        : null;
    }),
  );
  return found.filter((match): match is EntityMatch => match !== null);
}
