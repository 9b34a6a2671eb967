import type { CompiledTemplate } from '@weft/templates';

/** FNV-1a, 32 bits, over UTF-16 code units: a stable, fast string hash for partitioning. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * Where a line goes: a partition now, or (a supplement joined by a field other
 * than the business key) wherever the baseline record carrying `value` went,
 * which `ownerOf` answers once that record has been routed.
 */
export type Route =
  | { readonly partition: number; readonly eventTime: number | undefined }
  | { readonly ownerValue: string; readonly supplement: string; readonly eventTime: number };

/** Routes raw lines to one of `parallelism` partitions so that every session stays in one. */
export interface Partitioner {
  /** Feed baseline sources before supplements: supplements keyed by other fields follow their anchors. */
  partitionOf(source: string, rawLine: string): number;
  /** The line's route and event time (when it has one), parsing the line once. */
  route(source: string, rawLine: string): Route;
  /** The partition of a supplement whose route waits for the baseline record carrying `value`. */
  ownerOf(supplementSource: string, value: string): number;
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

  const extract = (source: string, line: string) => {
    try {
      const extraction = compiled.extractor(source).extract(JSON.parse(line));
      return extraction.ok ? extraction : undefined;
    } catch {
      return undefined;
    }
  };

  const route = (source: string, line: string): Route => {
    const extraction = extract(source, line);
    if (extraction === undefined) return { partition: mod(line), eventTime: undefined };
    const { fields, eventTime } = extraction;
    if (baselineSources.has(source)) {
      const businessKey = fields[key];
      if (businessKey === null || businessKey === undefined)
        return { partition: mod(line), eventTime };
      const p = mod(String(businessKey));
      for (const r of routes.values()) {
        const value = fields[r.sessionField];
        if (r.businessKeyField !== undefined || value === null || value === undefined) continue;
        const owner = r.owners.get(String(value));
        if (owner === undefined) r.owners.set(String(value), p);
        else if (owner !== p) conflicts++;
      }
      return { partition: p, eventTime };
    }
    const r = routes.get(source);
    if (r === undefined) return { partition: mod(line), eventTime };
    const value = fields[r.businessKeyField ?? r.recordField];
    if (value === null || value === undefined) return { partition: mod(line), eventTime };
    if (r.businessKeyField !== undefined) return { partition: mod(String(value)), eventTime };
    return { ownerValue: String(value), supplement: source, eventTime };
  };

  const ownerOf = (supplementSource: string, value: string): number =>
    routes.get(supplementSource)?.owners.get(value) ?? mod(value);

  const partitionOf = (source: string, line: string): number => {
    const r = route(source, line);
    return 'partition' in r ? r.partition : ownerOf(r.supplement, r.ownerValue);
  };

  return {
    partitionOf,
    route,
    ownerOf,
    get conflicts() {
      return conflicts;
    },
  };
}
