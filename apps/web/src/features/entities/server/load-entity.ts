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

/** An entity the store knows of: its template's entity kinds and its own kind, as the template declares them. */
export interface FoundEntity {
  templateId: string;
  kinds: EntityKindView[];
  kind: EntityKindView;
  key: string;
}

export interface EntityPageData extends FoundEntity {
  charts: FeatureChart[];
  /** Sessions in the range beyond the ones charted (the oldest are left out). */
  historyCut: boolean;
  graph: EntityGraphView;
  sessions: { rows: SessionRow[]; nextCursor: string | null };
}

/**
 * The entity an address names, or null when there is none: the template is
 * not stored or declares no such kind, or no session of the template names
 * the key and no identity edge links it to another entity. Cheap (a template
 * read, a one-row search, at most one hop of edges), so the page decides its
 * 404 with it before it starts streaming.
 *
 * @example await findEntity(store, { template: 'in-app-purchase', kind: 'device', key: 'D7' })
 */
export async function findEntity(
  store: Store,
  address: Pick<EntityParams, 'template' | 'kind' | 'key'>,
): Promise<FoundEntity | null> {
  const stored = await store.templates.get(address.template);
  const template = parseStoredTemplate(stored?.definition);
  if (!template) return null;
  const kinds = entityKindsOf(template);
  const kind = kinds.find((k) => k.id === address.kind);
  if (!kind) return null;
  const found = { templateId: address.template, kinds, kind, key: address.key };
  const named = await store.sessions.search({
    templateId: address.template,
    where: entityWhere(kind.field, address.key),
    limit: 1,
  });
  if (named.sessions.length > 0) return found;
  const linked = await store.entities.neighbours({
    templateId: address.template,
    kind: kind.id,
    key: address.key,
    depth: 1,
    limit: 2,
  });
  return linked.nodes.length > 1 ? found : null;
}

/**
 * Everything the entity page shows of a found entity: its features over
 * time (the values its sessions were evaluated with), the entities linked to
 * it and its sessions, newest first.
 *
 * @example await loadEntity(store, (await findEntity(store, params))!, params, Date.now())
 */
export async function loadEntity(
  store: Store,
  found: FoundEntity,
  params: Pick<EntityParams, 'range' | 'depth' | 'cursor'>,
  now: number,
): Promise<EntityPageData> {
  const { kind, kinds } = found;
  const entity = { templateId: found.templateId, kind: kind.id, key: found.key };
  const [history, neighbourhood, sessions] = await Promise.all([
    store.entities.featureHistory({
      ...entity,
      field: kind.field,
      from: now - HISTORY_RANGES[params.range],
      limit: HISTORY_SESSIONS,
    }),
    store.entities.neighbours({ ...entity, depth: params.depth, limit: GRAPH_NODES }),
    store.sessions.search({
      templateId: entity.templateId,
      where: entityWhere(kind.field, entity.key),
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
    ...found,
    charts: prepareFeatureCharts(kind, observations),
    historyCut: history.nextCursor !== undefined,
    graph: prepareEntityGraph(entity.templateId, entity, neighbourhood, kinds),
    sessions: {
      rows: sessions.sessions.map((s) => toSessionRow(s, kind.field)),
      nextCursor: sessions.nextCursor ?? null,
    },
  };
}
