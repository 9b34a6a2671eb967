import type { Predicate, Store } from '@weft/storage';
import { equalityCandidates, parseSearchInput } from '../lib/search-input';
import type { SearchInput } from '../lib/search-input';
import { toSessionRow as toRow } from '../lib/session-row';
import type { SearchResult, SessionRow } from '../lib/session-row';

/** Fields tried for a bare value that is not a business key (string fields only, per template). */
const MAX_ANY_FIELD_LOOKUPS = 40;

/**
 * Answers the operator's search box: a business key first, then any string
 * field equal to the value; or an explicit `field op value`, keyset-paginated.
 *
 * @example await searchSessions(store, { q: 'O1764000000123', limit: 50 })
 */
export async function searchSessions(
  store: Store,
  input: { q: string; cursor?: string; limit: number },
): Promise<SearchResult> {
  const parsed = parseSearchInput(input.q);
  if (parsed.kind === 'empty') return { rows: [], nextCursor: null, understoodAs: 'nothing yet' };

  if (parsed.kind === 'field') {
    const page = await store.sessions.search({
      where: [toPredicate(parsed)],
      limit: input.limit,
      cursor: input.cursor,
    });
    return {
      rows: page.sessions.map((s) => toRow(s, parsed.field)),
      nextCursor: page.nextCursor ?? null,
      understoodAs: `field ${parsed.field} ${parsed.op} ${String(parsed.value)}`,
    };
  }

  const byKey = await store.sessions.byBusinessKey(parsed.value);
  if (byKey.length > 0) {
    return {
      rows: byKey.map((s) => toRow(s, null)),
      nextCursor: null,
      understoodAs: `business key ${parsed.value}`,
    };
  }
  return searchAnyField(store, parsed.value, input.limit);
}

async function searchAnyField(store: Store, value: string, limit: number): Promise<SearchResult> {
  const templates = await store.templates.list();
  const lookups: { templateId: string; field: string }[] = [];
  for (const template of templates) {
    for (const field of await store.fieldCatalog.list(template.templateId)) {
      if (field.types.includes('string'))
        lookups.push({ templateId: template.templateId, field: field.field });
    }
  }
  const seen = new Map<string, SessionRow>();
  for (const lookup of lookups.slice(0, MAX_ANY_FIELD_LOOKUPS)) {
    const page = await store.sessions.search({
      templateId: lookup.templateId,
      where: [{ field: lookup.field, op: '=', value }],
      limit,
    });
    for (const s of page.sessions)
      if (!seen.has(s.sessionId)) seen.set(s.sessionId, toRow(s, lookup.field));
    if (seen.size >= limit) break;
  }
  const rows = [...seen.values()].sort((a, b) => b.start - a.start).slice(0, limit);
  return { rows, nextCursor: null, understoodAs: `any field equal to ${value}` };
}

function toPredicate(input: Extract<SearchInput, { kind: 'field' }>): Predicate {
  const { field, op, value } = input;
  if (op === '=') return { field, op: 'in', value: equalityCandidates(String(value)) };
  if (op === 'prefix') return { field, op, value: String(value) };
  return { field, op, value: Number(value) };
}
