import type { EventSource, FieldType, Source, Template } from './template.js';

/** A node of the behavior tree: a baseline step or a supplement, with its (declared) source. */
export interface NodeInfo {
  id: string;
  kind: 'baseline' | 'supplement';
  /** The node's source, or undefined when the template names an unknown or non-event source. */
  source: EventSource | undefined;
  /** Template path of the node, e.g. `baseline.nodes[1]` or `supplements[0]`. */
  path: string;
}

/** A field of the session namespace (`f.<name>` in CEL). */
export interface SessionFieldInfo {
  name: string;
  type: FieldType;
  /** Where the value comes from: a baseline source's extraction, an enrichment lookup or a derived expression. */
  origin: 'baseline' | 'enrichment' | 'derived';
  /** Source id (baseline), enrichment id or derived field name. */
  from: string;
}

/** Lookups over a parsed template, tolerant of dangling references (validation reports those). */
export interface TemplateIndex {
  sources: ReadonlyMap<string, Source>;
  /** Nodes in order: baseline nodes first, then supplements. */
  nodes: ReadonlyMap<string, NodeInfo>;
  /** Fields extracted by baseline sources: the values a supplement can join on. */
  baselineFields: ReadonlyMap<string, SessionFieldInfo>;
  /** Every session field: baseline fields, then enrichment fields, then derived fields. */
  sessionFields: ReadonlyMap<string, SessionFieldInfo>;
}

/** True for sources that produce timed records (Kafka topics and NDJSON files). */
export function isEventSource(source: Source | undefined): source is EventSource {
  return source !== undefined && source.kind !== 'sql';
}

/**
 * Builds the lookups the validator, the compiler and the engine share. Where
 * two baseline sources extract the same field name, the first baseline node's
 * source defines its type (the validator rejects conflicting types).
 *
 * @example indexTemplate(template).sessionFields.get('order_id')?.type // 'string'
 */
export function indexTemplate(template: Template): TemplateIndex {
  const sources = new Map<string, Source>();
  for (const source of template.sources)
    if (!sources.has(source.id)) sources.set(source.id, source);

  const nodes = new Map<string, NodeInfo>();
  template.baseline.nodes.forEach((node, i) => {
    const source = sources.get(node.source);
    if (!nodes.has(node.id)) {
      nodes.set(node.id, {
        id: node.id,
        kind: 'baseline',
        source: isEventSource(source) ? source : undefined,
        path: `baseline.nodes[${i}]`,
      });
    }
  });
  template.supplements.forEach((supplement, i) => {
    const source = sources.get(supplement.source);
    if (!nodes.has(supplement.id)) {
      nodes.set(supplement.id, {
        id: supplement.id,
        kind: 'supplement',
        source: isEventSource(source) ? source : undefined,
        path: `supplements[${i}]`,
      });
    }
  });

  const baselineFields = new Map<string, SessionFieldInfo>();
  for (const node of nodes.values()) {
    if (node.kind !== 'baseline' || node.source === undefined) continue;
    for (const [name, spec] of Object.entries(node.source.fields)) {
      if (!baselineFields.has(name)) {
        baselineFields.set(name, {
          name,
          type: spec.type,
          origin: 'baseline',
          from: node.source.id,
        });
      }
    }
  }

  const sessionFields = new Map(baselineFields);
  for (const enrichment of template.enrichment) {
    const source = sources.get(enrichment.source);
    if (source?.kind !== 'sql') continue;
    for (const name of enrichment.fields) {
      const spec = source.fields[name];
      if (spec !== undefined && !sessionFields.has(name)) {
        sessionFields.set(name, {
          name,
          type: spec.type,
          origin: 'enrichment',
          from: enrichment.id,
        });
      }
    }
  }
  for (const derived of template.derived) {
    if (!sessionFields.has(derived.name)) {
      sessionFields.set(derived.name, {
        name: derived.name,
        type: derived.type,
        origin: 'derived',
        from: derived.name,
      });
    }
  }
  return { sources, nodes, baselineFields, sessionFields };
}
