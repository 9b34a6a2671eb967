import type { CompiledTemplate, FieldValue } from '@weft/templates';
import type { RawInput } from '../../src/index.js';
import { recordId } from '../../src/index.js';

/**
 * An independent, deliberately naive correlation of a bounded input, for
 * differential tests: group baseline records by business key, sort, split
 * where consecutive records are more than the gap apart, then brute-force
 * every supplement against every session. It shares no code with the engine
 * beyond the template's field extraction and the record-id hash.
 */
export interface OracleSession {
  businessKey: string;
  /** node id → sorted record ids. */
  nodes: Record<string, string[]>;
}

export interface OracleResult {
  sessions: OracleSession[];
  orphans: string[];
}

interface Parsed {
  id: string;
  source: string;
  ts: number;
  fields: Record<string, FieldValue>;
}

export function naiveCorrelate(
  compiled: CompiledTemplate,
  inputs: readonly RawInput[],
): OracleResult {
  const { template } = compiled;
  const parsed = new Map<string, Parsed>();
  for (const input of inputs) {
    const out = compiled.extractor(input.source).extract(JSON.parse(input.raw));
    if (!out.ok) continue;
    const id = recordId(input.source, input.raw);
    parsed.set(id, { id, source: input.source, ts: out.eventTime, fields: out.fields });
  }
  const baselineNodeOf = new Map(template.baseline.nodes.map((n) => [n.source, n.id]));
  const byKey = new Map<string, Parsed[]>();
  for (const p of parsed.values()) {
    if (!baselineNodeOf.has(p.source)) continue;
    const key = String(p.fields[template.baseline.key]);
    byKey.set(key, [...(byKey.get(key) ?? []), p]);
  }
  const clusters: { key: string; records: Parsed[] }[] = [];
  for (const [key, records] of byKey) {
    records.sort((a, b) => a.ts - b.ts);
    let current: Parsed[] = [];
    for (const r of records) {
      if (current.length > 0 && r.ts > current.at(-1)!.ts + template.baseline.gap) {
        clusters.push({ key, records: current });
        current = [];
      }
      current.push(r);
    }
    clusters.push({ key, records: current });
  }
  clusters.sort((a, b) =>
    a.key < b.key ? -1 : a.key > b.key ? 1 : a.records[0]!.ts - b.records[0]!.ts,
  );
  const sessions = clusters.map((c) => ({
    businessKey: c.key,
    records: c.records,
    nodes: {} as Record<string, string[]>,
    matched: {} as Record<string, Parsed[]>,
  }));
  for (const s of sessions) {
    for (const r of s.records) (s.nodes[baselineNodeOf.get(r.source)!] ??= []).push(r.id);
  }
  const orphans: string[] = [];
  for (const p of parsed.values()) {
    const supplement = template.supplements.find((x) => x.source === p.source);
    if (supplement === undefined) continue;
    const lower = supplement.lower + (supplement.lowerInclusive ? 0 : 1);
    const upper = supplement.upper - (supplement.upperInclusive ? 0 : 1);
    const home = sessions.find((s) => {
      const keyOk = supplement.join.every(
        (j) => sessionField(template.baseline.nodes, s.records, j.session) === p.fields[j.record],
      );
      const anchors = s.records.filter((r) => baselineNodeOf.get(r.source) === supplement.anchor);
      return keyOk && anchors.some((a) => a.ts + lower <= p.ts && p.ts <= a.ts + upper);
    });
    if (home === undefined) orphans.push(p.id);
    else (home.matched[supplement.id] ??= []).push(p);
  }
  // Cardinality `one`: only the earliest matching record (time, then id) attaches.
  for (const s of sessions) {
    for (const [id, matched] of Object.entries(s.matched)) {
      const one = template.supplements.find((x) => x.id === id)!.cardinality === 'one';
      const sorted = [...matched].sort((a, b) => a.ts - b.ts || (a.id < b.id ? -1 : 1));
      s.nodes[id] = (one ? sorted.slice(0, 1) : sorted).map((r) => r.id);
    }
  }
  return {
    sessions: sessions.map((s) => ({
      businessKey: s.businessKey,
      nodes: Object.fromEntries(Object.entries(s.nodes).map(([n, ids]) => [n, [...ids].sort()])),
    })),
    orphans: orphans.sort(),
  };
}

/** First non-null value of a field in baseline-node order, then event-time order. */
function sessionField(
  nodes: readonly { id: string; source: string }[],
  records: Parsed[],
  field: string,
): FieldValue {
  for (const node of nodes) {
    for (const r of records.filter((x) => x.source === node.source).sort((a, b) => a.ts - b.ts)) {
      const v = r.fields[field];
      if (v !== null && v !== undefined) return v;
    }
  }
  return null;
}
