import type {
  CompiledTemplate,
  DeadLetter,
  FieldValue,
  RecordOrigin,
  SessionRecord,
  Supplement,
  Template,
} from '@weft/templates';
import { recordId } from './record-id.js';

/** One raw input line of one source, as the correlator (or a batch file) delivers it. */
export interface RawInput {
  readonly source: string;
  /** The line exactly as received; its hash is the record id. */
  readonly raw: string;
  readonly origin?: RecordOrigin;
}

/** A record in the unified view, routed to the nodes it belongs to. */
export interface RoutedRecord {
  readonly record: SessionRecord;
  /** The baseline node it is (at most one is used: the first in template order), with its business key. */
  readonly baseline: { readonly node: string; readonly businessKey: string } | null;
  /** Supplement nodes it may attach to, with their composite join key. */
  readonly supplements: readonly {
    readonly node: string;
    readonly joinKey: string;
    readonly keys: Record<string, FieldValue>;
  }[];
}

export type Prepared = { ok: true; routed: RoutedRecord } | { ok: false; deadLetter: DeadLetter };

/**
 * Turns a raw line into the unified view: parse, extract event time and
 * fields, route to nodes, read keys. Anything unusable becomes a dead letter
 * with the reason. `now` is the processing time stamped on dead letters.
 *
 * Example: `prepareRecord(compiled, { source: 'pay_done', raw: line }, now)`.
 */
export function prepareRecord(compiled: CompiledTemplate, input: RawInput, now: number): Prepared {
  const template = compiled.template;
  const dead = (reason: string): Prepared => deadLetter(template.id, input, now, reason);
  if (!compiled.index.sources.has(input.source))
    return dead(`unknown source "${input.source}" for template ${template.id}`);
  let raw: unknown;
  try {
    raw = JSON.parse(input.raw);
  } catch (error) {
    return dead(`not valid JSON: ${(error as Error).message}`);
  }
  let extraction;
  try {
    extraction = compiled.extractor(input.source).extract(raw);
  } catch (error) {
    return dead(`cannot extract: ${(error as Error).message}`);
  }
  if (!extraction.ok) return dead(extraction.reason);
  const record: SessionRecord = {
    recordId: recordId(input.source, input.raw),
    source: input.source,
    eventTime: extraction.eventTime,
    raw,
    fields: extraction.fields,
    late: false,
  };
  let baseline: RoutedRecord['baseline'] = null;
  const supplements: { node: string; joinKey: string; keys: Record<string, FieldValue> }[] = [];
  for (const node of compiled.nodesFor(input.source, raw, extraction.fields)) {
    const info = compiled.index.nodes.get(node);
    if (info?.kind === 'baseline') {
      if (baseline !== null) continue;
      const businessKey = extraction.fields[template.baseline.key];
      if (businessKey === null || businessKey === undefined) {
        return dead(`missing business key "${template.baseline.key}" for baseline node ${node}`);
      }
      baseline = { node, businessKey: String(businessKey) };
    } else {
      const supplement = supplementOf(template, node);
      const keys: Record<string, FieldValue> = {};
      for (const join of supplement.join)
        keys[join.record] = extraction.fields[join.record] ?? null;
      const missing = supplement.join
        .filter((join) => keys[join.record] === null)
        .map((j) => j.record);
      if (missing.length > 0)
        return dead(
          `missing join key ${missing.map((m) => `"${m}"`).join(', ')} for supplement ${node}`,
        );
      supplements.push({
        node,
        joinKey: JSON.stringify(supplement.join.map((j) => keys[j.record])),
        keys,
      });
    }
  }
  return { ok: true, routed: { record, baseline, supplements } };
}

function deadLetter(templateId: string, input: RawInput, now: number, reason: string): Prepared {
  return {
    ok: false,
    deadLetter: {
      templateId,
      source: input.source,
      reason,
      raw: input.raw,
      origin: input.origin ?? {},
      at: now,
    },
  };
}

const supplementsByTemplate = new WeakMap<Template, Map<string, Supplement>>();

function supplementOf(template: Template, id: string): Supplement {
  let byId = supplementsByTemplate.get(template);
  if (byId === undefined) {
    byId = new Map(template.supplements.map((s) => [s.id, s]));
    supplementsByTemplate.set(template, byId);
  }
  return byId.get(id)!;
}
