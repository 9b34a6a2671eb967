import { formatDuration } from './duration.js';
import { listNames, type IssueList } from './issues.js';
import { indexTemplate, isEventSource } from './model.js';
import { checkUnique } from './check-sources.js';
import type { Template } from './template.js';

/** Supplements (join keys, anchor, bounds) and enrichment lookups. */
export function checkJoins(issues: IssueList, template: Template): void {
  const index = indexTemplate(template);
  const baselineNodes = template.baseline.nodes.map((n) => n.id);
  const baselineSources = new Set(template.baseline.nodes.map((n) => n.source));
  const sessionKeys = listNames(index.baselineFields.keys());

  template.supplements.forEach((supplement, i) => {
    const path = `supplements[${i}]`;
    const source = index.sources.get(supplement.source);
    const events = template.sources.filter((s) => s.kind !== 'sql').map((s) => s.id);
    if (source === undefined) {
      issues.add(
        `${path}.source`,
        'unknown_source',
        `"${supplement.source}" is not a declared source; declared: ${listNames(events)}`,
      );
    } else if (!isEventSource(source)) {
      issues.add(
        `${path}.source`,
        'not_event_source',
        `"${supplement.source}" is a SQL dimension table; use it in "enrichment", or give this supplement a kafka or ndjson source (${listNames(events)})`,
      );
    } else if (baselineSources.has(source.id) && supplement.filter === undefined) {
      issues.add(
        `${path}.source`,
        'ambiguous_source',
        `"${source.id}" already feeds a baseline node; add a "filter" to this supplement (and the baseline node) so each record has one role`,
      );
    }
    supplement.join.forEach((pair, j) => {
      const sessionField = index.baselineFields.get(pair.session);
      if (sessionField === undefined)
        issues.add(
          `${path}.join[${j}].session`,
          'unknown_join_field',
          `"${pair.session}" is not a field of the baseline sources, so a session cannot be looked up by it; baseline fields: ${sessionKeys}`,
        );
      if (!isEventSource(source)) return;
      const recordField = source.fields[pair.record];
      if (recordField === undefined)
        issues.add(
          `${path}.join[${j}].record`,
          'unknown_join_field',
          `"${pair.record}" is not a field of source "${source.id}"; its fields: ${listNames(Object.keys(source.fields))} (add it under the source's "fields" with the raw path)`,
        );
      else if (sessionField !== undefined && sessionField.type !== recordField.type)
        issues.add(
          `${path}.join[${j}]`,
          'join_type_mismatch',
          `session field "${pair.session}" is ${sessionField.type} but record field "${pair.record}" is ${recordField.type}; join keys must have the same type`,
        );
    });
    if (!baselineNodes.includes(supplement.anchor)) {
      const isSupplement = template.supplements.some((s) => s.id === supplement.anchor);
      issues.add(
        `${path}.anchor`,
        'unknown_anchor',
        `"${supplement.anchor}" is ${isSupplement ? 'a supplement, not a baseline node' : 'not a node'}; the anchor must be a baseline node: ${listNames(baselineNodes)}`,
      );
    }
  });

  checkEnrichment(issues, template);
}

/** Interval bounds of every supplement; independent of references, so checked in the first stage. */
export function checkSupplementBounds(issues: IssueList, template: Template): void {
  template.supplements.forEach((supplement, i) =>
    checkBounds(issues, `supplements[${i}]`, supplement),
  );
}

function checkBounds(issues: IssueList, path: string, s: Template['supplements'][number]): void {
  const range = `[${s.anchor} ${offset(s.lower)}, ${s.anchor} ${offset(s.upper)}]`;
  if (s.lower > s.upper)
    issues.add(
      `${path}.lower`,
      'bounds_inverted',
      `lower (${formatDuration(s.lower)}) is after upper (${formatDuration(s.upper)}): the interval ${range} is empty; swap them`,
    );
  else if (s.lower === s.upper && !(s.lowerInclusive && s.upperInclusive))
    issues.add(
      `${path}.lower`,
      'bounds_empty',
      `lower equals upper (${formatDuration(s.lower)}) and one end is exclusive, so no record can match; widen the interval or make both ends inclusive`,
    );
}

function offset(ms: number): string {
  return ms < 0 ? `- ${formatDuration(-ms)}` : `+ ${formatDuration(ms)}`;
}

function checkEnrichment(issues: IssueList, template: Template): void {
  const index = indexTemplate(template);
  checkUnique(issues, template.enrichment, 'enrichment', 'enrichment');
  const tables = template.sources.filter((s) => s.kind === 'sql').map((s) => s.id);
  const added = new Map<string, string>();
  template.enrichment.forEach((lookup, i) => {
    const path = `enrichment[${i}]`;
    const source = index.sources.get(lookup.source);
    if (source?.kind !== 'sql') {
      issues.add(
        `${path}.source`,
        source === undefined ? 'unknown_source' : 'not_sql_source',
        `${source === undefined ? `"${lookup.source}" is not a declared source` : `"${lookup.source}" is a ${source.kind} source, not a SQL table`}; enrichment reads a SQL dimension table: ${listNames(tables)}`,
      );
    }
    if (!index.baselineFields.has(lookup.on.session))
      issues.add(
        `${path}.on.session`,
        'unknown_join_field',
        `"${lookup.on.session}" is not a field of the baseline sources; baseline fields: ${listNames(index.baselineFields.keys())}`,
      );
    if (source?.kind !== 'sql') return;
    const columns = listNames(Object.keys(source.fields));
    if (source.fields[lookup.on.record] === undefined)
      issues.add(
        `${path}.on.record`,
        'unknown_join_field',
        `"${lookup.on.record}" is not a field of table source "${source.id}"; its fields: ${columns}`,
      );
    lookup.fields.forEach((name, j) => {
      if (source.fields[name] === undefined)
        issues.add(
          `${path}.fields[${j}]`,
          'unknown_field',
          `"${name}" is not a field of table source "${source.id}"; its fields: ${columns}`,
        );
      else if (index.baselineFields.has(name))
        issues.add(
          `${path}.fields[${j}]`,
          'field_collision',
          `"${name}" is already a session field from baseline source "${index.baselineFields.get(name)?.from ?? ''}"; rename the table field (sources[].fields key) to add it`,
        );
      else if (added.has(name))
        issues.add(
          `${path}.fields[${j}]`,
          'field_collision',
          `"${name}" is already added by enrichment "${added.get(name) ?? ''}"; each session field has one origin`,
        );
      else added.set(name, lookup.id);
    });
  });
}
