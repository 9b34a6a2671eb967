import { formatDuration } from './duration.js';
import {
  isWindowed,
  MAX_ENTITY_HISTORY_MS,
  type EntityFeature,
  type EntityKind,
} from './entities.js';
import { listNames, type IssueList } from './issues.js';
import { indexTemplate, type SessionFieldInfo, type TemplateIndex } from './model.js';
import { checkUnique } from './check-sources.js';
import type { Template } from './template.js';

/** The longest a point-in-time query may lag the newest session: state grows with it. */
const MAX_QUERY_LAG_MS = 7 * 86_400_000;

/**
 * The `entities` section: kinds and features unique, entity keys and
 * feature fields are baseline or enrichment fields of a fitting type, `at` is a node, each
 * aggregation has exactly the properties it reads, windows are non-empty and
 * keep at most 366 days, graph features have `links` and name a kind.
 */
export function checkEntities(issues: IssueList, template: Template): void {
  const entities = template.entities;
  if (entities === undefined) return;
  const index = indexTemplate(template);
  checkUnique(issues, entities.kinds, 'entities.kinds', 'entity kind');
  if (entities.queryLag > MAX_QUERY_LAG_MS)
    issues.add(
      'entities.queryLag',
      'query_lag_long',
      `queryLag ${formatDuration(entities.queryLag)} is longer than 7d; every entity keeps fine buckets for that long: lower it`,
    );
  if (entities.links !== undefined && entities.links.retention === 0)
    issues.add(
      'entities.links.retention',
      'window_empty',
      'retention is 0: links would be forgotten at once; give e.g. "90d"',
    );
  const kinds = entities.kinds.map((k) => k.id);
  entities.kinds.forEach((kind, i) => {
    const path = `entities.kinds[${i}]`;
    checkKindRefs(issues, template, index, kind, path);
    checkUnique(
      issues,
      kind.features.map((f) => ({ id: f.name })),
      `${path}.features`,
      `feature of "${kind.id}"`,
    );
    kind.features.forEach((feature, j) => {
      const at = `${path}.features[${j}]`;
      if (isWindowed(feature.agg)) checkWindowed(issues, index, feature, at);
      else checkGraph(issues, feature, at, kinds, entities.links !== undefined);
    });
  });
}

function checkKindRefs(
  issues: IssueList,
  template: Template,
  index: TemplateIndex,
  kind: EntityKind,
  path: string,
): void {
  const key = observedField(issues, index, kind.field, `${path}.field`);
  if (key !== null && key.type !== 'string' && key.type !== 'number')
    issues.add(
      `${path}.field`,
      'entity_key_type',
      `"${kind.field}" is a ${key.type} field; an entity key must be a string or number field (an id)`,
    );
  if (kind.at === undefined) return;
  const at = index.nodes.get(kind.at);
  const baselineNodes = listNames(template.baseline.nodes.map((n) => n.id));
  if (at === undefined)
    issues.add(
      `${path}.at`,
      'unknown_node',
      `"${kind.at}" is not a node; nodes: ${listNames(index.nodes.keys())}`,
    );
  else if (at.kind !== 'baseline')
    issues.add(
      `${path}.at`,
      'observed_at_supplement',
      `"${kind.at}" is a supplement, which can attach after the session's entities are observed; observe at a baseline node: ${baselineNodes}`,
    );
}

function checkWindowed(
  issues: IssueList,
  index: TemplateIndex,
  feature: EntityFeature,
  path: string,
): void {
  if (feature.of !== undefined)
    issues.add(
      `${path}.of`,
      'property_not_allowed',
      `"of" belongs to graph features; ${feature.agg} counts this entity's sessions: remove it`,
    );
  if (feature.window === undefined)
    issues.add(
      `${path}.window`,
      'window_required',
      `${feature.agg} reads a window: add "window", e.g. "1h", "24h" or {"last": "30d", "retain": "90d"}`,
    );
  else checkWindow(issues, feature.window, `${path}.window`);
  const reads = feature.agg !== 'count' && feature.agg !== 'last_seen';
  if (!reads) {
    if (feature.field !== undefined)
      issues.add(
        `${path}.field`,
        'property_not_allowed',
        `${feature.agg} reads no field: remove "field" (use distinct to count values of a field)`,
      );
    return;
  }
  if (feature.field === undefined) {
    issues.add(
      `${path}.field`,
      'field_required',
      `${feature.agg} needs "field": the session field it aggregates`,
    );
    return;
  }
  const field = observedField(issues, index, feature.field, `${path}.field`);
  if (
    field !== null &&
    feature.agg !== 'distinct' &&
    field.type !== 'number' &&
    !(field.type === 'timestamp' && feature.agg !== 'sum')
  )
    issues.add(
      `${path}.field`,
      'field_type',
      `${feature.agg} needs a number field${feature.agg === 'sum' ? '' : ' (or a timestamp)'}; "${feature.field}" is ${field.type}: use distinct or count instead`,
    );
}

/**
 * The session field an entity key or feature reads, or null (reported)
 * when it is unknown or derived: derived fields may read entity features,
 * so features are read before derived fields exist.
 */
function observedField(
  issues: IssueList,
  index: TemplateIndex,
  name: string,
  path: string,
): SessionFieldInfo | null {
  const field = index.sessionFields.get(name);
  if (field === undefined)
    issues.add(
      path,
      'unknown_field',
      `"${name}" is not a session field; session fields: ${listNames(index.sessionFields.keys())}`,
    );
  else if (field.origin === 'derived')
    issues.add(
      path,
      'derived_entity_field',
      `"${name}" is a derived field; entity keys and feature fields are read before derived fields are computed (derived fields may read entity features): use a baseline or enrichment field`,
    );
  else return field;
  return null;
}

function checkWindow(
  issues: IssueList,
  window: NonNullable<EntityFeature['window']>,
  path: string,
): void {
  if (window.last === 0)
    issues.add(
      `${path}.last`,
      'window_empty',
      'the window is empty (0): give its length, e.g. "1h"',
    );
  const reach = window.last + window.offset;
  if (window.retain !== undefined && window.retain < reach)
    issues.add(
      `${path}.retain`,
      'retain_short',
      `retain (${formatDuration(window.retain)}) is shorter than what the window reads, last + offset = ${formatDuration(reach)}: raise retain or drop it`,
    );
  const kept = Math.max(reach, window.retain ?? 0);
  if (kept > MAX_ENTITY_HISTORY_MS)
    issues.add(
      path,
      'history_too_long',
      `the window keeps ${formatDuration(kept)} of history; the limit is 366d: shorten it`,
    );
}

function checkGraph(
  issues: IssueList,
  feature: EntityFeature,
  path: string,
  kinds: readonly string[],
  linked: boolean,
): void {
  if (!linked)
    issues.add(
      `${path}.agg`,
      'links_required',
      `${feature.agg} reads the identity graph: declare "entities.links": {"retention": "90d"}`,
    );
  if (feature.window !== undefined)
    issues.add(
      `${path}.window`,
      'property_not_allowed',
      `${feature.agg} reads the identity graph as linked so far, not a window: remove "window"`,
    );
  if (feature.field !== undefined)
    issues.add(
      `${path}.field`,
      'property_not_allowed',
      `${feature.agg} reads no field: remove "field"`,
    );
  if (feature.agg === 'component_size') {
    if (feature.of !== undefined)
      issues.add(
        `${path}.of`,
        'property_not_allowed',
        `component_size counts every kind: remove "of" or use component_count`,
      );
    return;
  }
  if (feature.of === undefined)
    issues.add(
      `${path}.of`,
      'field_required',
      `${feature.agg} needs "of": the entity kind to count; kinds: ${listNames(kinds)}`,
    );
  else if (!kinds.includes(feature.of))
    issues.add(
      `${path}.of`,
      'unknown_entity_kind',
      `"${feature.of}" is not an entity kind; kinds: ${listNames(kinds)}`,
    );
}
