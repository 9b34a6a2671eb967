import type { StoredState } from '@weft/engine';
import type { Store } from '@weft/storage';
import type { LateRecord, Orphan, Session, Template } from '@weft/templates';

/** The part of the store late reprocessing reads and cleans up (narrow, so tests can pass a stand-in). */
export interface LateStore {
  sessions: Pick<Store['sessions'], 'byBusinessKey' | 'search' | 'get'>;
  orphans: Pick<Store['orphans'], 'list' | 'remove'>;
}

/** Sessions found by an alternative key: one search page is plenty for one join key. */
const SEARCH_LIMIT = 500;
const ORPHAN_PAGE = 1000;

/**
 * What `reprocessLate` needs to see for one late record, read from the
 * row-per-field store: a baseline record's sessions by business key, a
 * supplement's sessions by its join key (each `session field = record value`
 * pair is an index seek on `session_fields`), and the stored orphans it may
 * adopt or would duplicate.
 *
 * @example const state = await loadStoredState(store, template, late); reprocessLate(state, late, compiled);
 */
export async function loadStoredState(
  store: LateStore,
  template: Template,
  late: LateRecord,
): Promise<StoredState> {
  const ts = late.record.eventTime;
  if (late.kind === 'baseline') {
    const businessKey = late.keys[template.baseline.key];
    if (businessKey === null || businessKey === undefined) return { sessions: [] };
    const sessions = await store.sessions.byBusinessKey(String(businessKey), {
      templateId: template.id,
    });
    // A supplement adopted by the merged session lies within its bounds around one of its anchors.
    const lowers = template.supplements.map((s) => s.lower);
    const uppers = template.supplements.map((s) => s.upper);
    const from = Math.min(ts, ...sessions.map((s) => s.start)) + Math.min(0, ...lowers);
    const to = Math.max(ts, ...sessions.map((s) => s.end)) + Math.max(0, ...uppers) + 1;
    return { sessions, orphans: await orphansIn(store, template.id, from, to) };
  }
  const supplement = template.supplements.find((s) => s.id === late.node);
  const orphans = await orphansIn(store, template.id, ts, ts + 1);
  if (supplement === undefined) return { sessions: [], orphans };
  const where = supplement.join.map((pair) => ({
    field: pair.session,
    op: '=' as const,
    value: late.keys[pair.record] ?? null,
  }));
  if (where.some((w) => w.value === null)) return { sessions: [], orphans };
  const page = await store.sessions.search({
    templateId: template.id,
    where,
    limit: SEARCH_LIMIT,
  });
  const sessions: Session[] = [];
  for (const summary of page.sessions) {
    const session = await store.sessions.get(summary.sessionId);
    if (session !== undefined && session.mergedInto === null) sessions.push(session);
  }
  return { sessions, orphans };
}

/** Every stored orphan of the template with event time in [from, to), page by page. */
async function orphansIn(
  store: LateStore,
  templateId: string,
  from: number,
  to: number,
): Promise<Orphan[]> {
  const found = new Map<string, Orphan>();
  let after = from;
  for (;;) {
    const page = await store.orphans.list(templateId, { from: after, to, limit: ORPHAN_PAGE });
    for (const o of page) found.set(`${o.node}\u0000${o.record.recordId}`, o);
    const last = page.at(-1);
    if (page.length < ORPHAN_PAGE || last === undefined) break;
    // Pages end on an event time; the next starts there (its rows seen again are deduplicated).
    if (last.record.eventTime === after) break;
    after = last.record.eventTime;
  }
  return [...found.values()];
}
