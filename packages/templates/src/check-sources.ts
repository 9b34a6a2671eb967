import { listNames, type IssueList } from './issues.js';
import { indexTemplate, isEventSource, type TemplateIndex } from './model.js';
import type { Template } from './template.js';
import { formatDuration } from './duration.js';

/** Reports duplicate ids among `items`, naming the first declaration. */
export function checkUnique(
  issues: IssueList,
  items: readonly { id: string }[],
  path: string,
  what: string,
): void {
  const first = new Map<string, number>();
  items.forEach((item, i) => {
    const seen = first.get(item.id);
    if (seen === undefined) first.set(item.id, i);
    else
      issues.add(
        `${path}[${i}].id`,
        'duplicate_id',
        `${what} "${item.id}" is already declared at ${path}[${seen}]; ${what} ids must be unique`,
      );
  });
}

function eventSourceIds(template: Template): string[] {
  return [...new Set(template.sources.filter((s) => s.kind !== 'sql').map((s) => s.id))];
}

/** Checks a node's `source` reference (baseline node or supplement). */
function checkNodeSource(
  issues: IssueList,
  template: Template,
  index: TemplateIndex,
  path: string,
  sourceId: string,
): void {
  const source = index.sources.get(sourceId);
  if (source === undefined) {
    issues.add(
      path,
      'unknown_source',
      `"${sourceId}" is not a declared source; declared: ${listNames(eventSourceIds(template))}`,
    );
  } else if (!isEventSource(source)) {
    issues.add(
      path,
      'not_event_source',
      `"${sourceId}" is a SQL dimension table, which has no timed records; use it in "enrichment" and give this node a kafka or ndjson source (${listNames(eventSourceIds(template))})`,
    );
  }
}

/** Sources, the baseline and its durations, the business key. */
export function checkSourcesAndBaseline(issues: IssueList, template: Template): void {
  const index = indexTemplate(template);
  checkUnique(issues, template.sources, 'sources', 'source');
  const topics = new Map<string, string>();
  template.sources.forEach((source, i) => {
    if (source.kind !== 'kafka') return;
    const other = topics.get(source.topic);
    if (other !== undefined && other !== source.id) {
      issues.add(
        `sources[${i}].topic`,
        'duplicate_topic',
        `topic "${source.topic}" is already read by source "${other}"; give each source its own topic or one source with a filter per node`,
      );
    }
    topics.set(source.topic, source.id);
  });

  const baseline = template.baseline;
  const allNodes = [
    ...baseline.nodes.map((n, i) => ({ id: n.id, path: `baseline.nodes[${i}].id` })),
    ...template.supplements.map((s, i) => ({ id: s.id, path: `supplements[${i}].id` })),
  ];
  const seenNodes = new Map<string, string>();
  for (const node of allNodes) {
    const seen = seenNodes.get(node.id);
    if (seen !== undefined)
      issues.add(
        node.path,
        'duplicate_node',
        `node "${node.id}" is already declared at ${seen.replace(/\.id$/, '')}; node ids must be unique across baseline nodes and supplements`,
      );
    else seenNodes.set(node.id, node.path);
  }

  const keyTypes = new Map<string, { type: string; source: string }>();
  baseline.nodes.forEach((node, i) => {
    checkNodeSource(issues, template, index, `baseline.nodes[${i}].source`, node.source);
    const source = index.sources.get(node.source);
    if (!isEventSource(source)) return;
    const sourceIndex = template.sources.indexOf(source);
    const key = source.fields[baseline.key];
    if (key === undefined) {
      issues.add(
        `sources[${sourceIndex}].fields`,
        'missing_business_key',
        `source "${source.id}" feeds baseline node "${node.id}" but extracts no business key "${baseline.key}"; add fields.${baseline.key} with the raw path of its ${baseline.key}`,
      );
    } else if (key.type === 'boolean') {
      issues.add(
        `sources[${sourceIndex}].fields.${baseline.key}.type`,
        'bad_key_type',
        `the business key "${baseline.key}" is boolean; a business key must be a string, number or timestamp`,
      );
    }
    for (const [name, spec] of Object.entries(source.fields)) {
      const prior = keyTypes.get(name);
      if (prior === undefined) keyTypes.set(name, { type: spec.type, source: source.id });
      else if (prior.type !== spec.type)
        issues.add(
          `sources[${sourceIndex}].fields.${name}.type`,
          'field_type_conflict',
          `session field "${name}" is ${spec.type} here but ${prior.type} in baseline source "${prior.source}"; baseline sources must agree on a field's type (rename one of them)`,
        );
    }
  });

  checkDurations(issues, template);
  const fire = baseline.earlyFire;
  if ('nodes' in fire) {
    const seen = new Set<string>();
    fire.nodes.forEach((id, i) => {
      const path = `baseline.earlyFire.nodes[${i}]`;
      if (!index.nodes.has(id))
        issues.add(
          path,
          'unknown_node',
          `"${id}" is not a node; nodes: ${listNames(index.nodes.keys())}`,
        );
      else if (seen.has(id)) issues.add(path, 'duplicate_node', `"${id}" is listed twice`);
      seen.add(id);
    });
  }
}

function checkDurations(issues: IssueList, template: Template): void {
  const { gap, maxSpan, timeout } = template.baseline;
  if (gap <= 0)
    issues.add('baseline.gap', 'bad_duration', 'the session gap must be longer than 0, e.g. "20m"');
  if (maxSpan < gap)
    issues.add(
      'baseline.maxSpan',
      'span_shorter_than_gap',
      `maxSpan (${formatDuration(maxSpan)}) is shorter than the session gap (${formatDuration(gap)}); a session could never use its gap: raise maxSpan or lower gap`,
    );
  if (timeout <= 0)
    issues.add(
      'baseline.timeout',
      'bad_duration',
      'the processing-time timeout must be longer than 0, e.g. "2m"',
    );
  template.sources.forEach((source, i) => {
    if (!isEventSource(source)) return;
    if (source.watermark.outOfOrderness > maxSpan)
      issues.add(
        `sources[${i}].watermark.outOfOrderness`,
        'bad_duration',
        `outOfOrderness (${formatDuration(source.watermark.outOfOrderness)}) exceeds baseline.maxSpan (${formatDuration(maxSpan)}); records that late are late data, not disorder: lower it`,
      );
    if (source.watermark.idleTimeout <= 0)
      issues.add(
        `sources[${i}].watermark.idleTimeout`,
        'bad_duration',
        'idleTimeout must be longer than 0, e.g. "1m"',
      );
  });
}
