import type { CompiledTemplate } from '@weft/templates';

/** FNV-1a, 32 bits, over UTF-16 code units: a stable, fast string hash for partitioning. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Routes raw lines to one of `parallelism` partitions so that every session stays in one. */
export interface Partitioner {
  /** Feed baseline sources before supplements: supplements keyed by other fields follow their anchors. */
  partitionOf(source: string, rawLine: string): number;
  /** Supplement keys that pointed to two partitions (the supplement went to the first). */
  readonly conflicts: number;
}

interface SupplementRoute {
  /** The record field joined to the business key, when the join has one. */
  readonly businessKeyField: string | undefined;
  /** Otherwise: the session field (from baseline records) and the record field it joins. */
  readonly sessionField: string;
  readonly recordField: string;
  readonly owners: Map<string, number>;
}

/**
 * Hash-partitions by business key, as a keyBy would. Baseline records go to
 * `hash(businessKey) % parallelism`. A supplement whose join includes the
 * business key goes where that key goes; one joined by other fields (e.g.
 * `trans_id`) goes where a baseline record carrying that value went. A line
 * that cannot be parsed or keyed goes to `hash(line)`: it is a dead letter or
 * an orphan in every partition.
 *
 * Example: `createPartitioner(compiled, 2).partitionOf('pay_done', line)` → 0 or 1.
 */
export function createPartitioner(compiled: CompiledTemplate, parallelism: number): Partitioner {
  const template = compiled.template;
  const key = template.baseline.key;
  const baselineSources = new Set(template.baseline.nodes.map((n) => n.source));
  const routes = new Map<string, SupplementRoute>();
  for (const s of template.supplements) {
    const byKey = s.join.find((j) => j.session === key);
    const first = s.join[0]!;
    routes.set(s.source, {
      businessKeyField: byKey?.record,
      sessionField: first.session,
      recordField: first.record,
      owners: new Map(),
    });
  }
  const mod = (text: string) => hashString(text) % parallelism;
  let conflicts = 0;

  const fieldsOf = (source: string, line: string) => {
    try {
      const extraction = compiled.extractor(source).extract(JSON.parse(line));
      return extraction.ok ? extraction.fields : undefined;
    } catch {
      return undefined;
    }
  };

  const partitionOf = (source: string, line: string): number => {
    const fields = fieldsOf(source, line);
    if (fields === undefined) return mod(line);
    if (baselineSources.has(source)) {
      const businessKey = fields[key];
      if (businessKey === null || businessKey === undefined) return mod(line);
      const p = mod(String(businessKey));
      for (const route of routes.values()) {
        const value = fields[route.sessionField];
        if (route.businessKeyField !== undefined || value === null || value === undefined) continue;
        const owner = route.owners.get(String(value));
        if (owner === undefined) route.owners.set(String(value), p);
        else if (owner !== p) conflicts++;
      }
      return p;
    }
    const route = routes.get(source);
    if (route === undefined) return mod(line);
    const field = route.businessKeyField ?? route.recordField;
    const value = fields[field];
    if (value === null || value === undefined) return mod(line);
    if (route.businessKeyField !== undefined) return mod(String(value));
    return route.owners.get(String(value)) ?? mod(String(value));
  };

  return {
    partitionOf,
    get conflicts() {
      return conflicts;
    },
  };
}
