import type { Store } from '@weft/storage';
import { toSessionRow } from '@/features/search';
import type { SessionRow } from '@/features/search';
import { parseStoredTemplate } from '@/server/stored-template';
import { entityKindsOf } from '../lib/entity-kinds';
import type { EntityKindView } from '../lib/entity-kinds';
import { prepareEntityGraph } from '../lib/prepare-entity-graph';
import type { EntityGraphView } from '../lib/prepare-entity-graph';
import { prepareFeatureCharts } from '../lib/prepare-feature-charts';
import type { FeatureChart } from '../lib/prepare-feature-charts';
import { HISTORY_RANGES } from './entity-params';
import { entityWhere } from './entity-sessions';
import type { EntityParams } from './entity-params';

/** Sessions per page of the entity's session list. */
const SESSIONS_PER_PAGE = 50;
/** Sessions read for the features over time (storage's page limit): the newest ones in the range. */
const HISTORY_SESSIONS = 500;
/** Linked entities drawn at most. */
const GRAPH_NODES = 150;

export type EntityPageData =
  | { status: 'unknown-template'; templateId: string; templates: string[] }
  | { status: 'unknown-kind'; templateId: string; kind: string; kinds: EntityKindView[] }
  | {
      status: 'ok';
      templateId: string;
      kind: EntityKindView;
      key: string;
      charts: FeatureChart[];
      /** Sessions in the range beyond the ones charted (the oldest are left out). */
      historyCut: boolean;
      graph: EntityGraphView;
      sessions: { rows: SessionRow[]; nextCursor: string | null };
    };

/**
 * Everything the entity page shows: the entity kind as its template declares
 * it, its features over time (the values its sessions were evaluated with),
 * the entities linked to it and its sessions, newest first.
 *
 * @example await loadEntity(store, { template: 'in-app-purchase', kind: 'device', key: 'D7', range: '30d', depth: 2 }, Date.now())
 */
export async function loadEntity(
  store: Store,
  params: EntityParams,
  now: number,
): Promise<EntityPageData> {
  const stored = await store.templates.get(params.template);
  const template = parseStoredTemplate(stored?.definition);
  if (!template) {
    const templates = (await store.templates.list()).map((t) => t.templateId);
    return { status: 'unknown-template', templateId: params.template, templates };
  }
  const kinds = entityKindsOf(template);
  const kind = kinds.find((k) => k.id === params.kind);
  if (!kind)
    return { status: 'unknown-kind', templateId: params.template, kind: params.kind, kinds };

  const entity = { templateId: params.template, kind: kind.id, key: params.key };
  const [history, neighbourhood, sessions] = await Promise.all([
    store.entities.featureHistory({
      ...entity,
      field: kind.field,
      from: now - HISTORY_RANGES[params.range],
      limit: HISTORY_SESSIONS,
    }),
    store.entities.neighbours({ ...entity, depth: params.depth, limit: GRAPH_NODES }),
    store.sessions.search({
      templateId: params.template,
      where: entityWhere(kind.field, params.key),
      limit: SESSIONS_PER_PAGE,
      cursor: params.cursor,
    }),
  ]);
  const observations = history.points.map((p) => ({
    time: p.start,
    sessionId: p.sessionId,
    values: p.features,
  }));
  return {
    status: 'ok',
    templateId: params.template,
    kind,
    key: params.key,
    charts: prepareFeatureCharts(kind, observations),
    historyCut: history.nextCursor !== undefined,
    graph: prepareEntityGraph(params.template, entity, neighbourhood, kinds),
    sessions: {
      rows: sessions.sessions.map((s) => toSessionRow(s, kind.field)),
      nextCursor: sessions.nextCursor ?? null,
    },
  };
}
