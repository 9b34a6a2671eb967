import type {
  CompiledTemplate,
  DeadLetter,
  FieldValue,
  RecordOrigin,
  SessionRecord,
  Supplement,
  Template,
} from '@weft/templates';
import { businessKeyLimit, codePointsOver } from '@weft/templates';
import { recordId } from './record-id.js';

/** One raw input line of one source, as the correlator (or a batch file) delivers it. */
export interface RawInput {
  readonly source: string;
  /** The line exactly as received; its hash is the record id. */
  readonly raw: string;
  readonly origin?: RecordOrigin;
  /**
   * `JSON.parse(raw)`, when the caller has parsed the line already (the
   * correlator's decoder does, to check it): the line is then not parsed twice.
   */
  readonly value?: unknown;
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
  const id = template.id;
  if (!compiled.index.sources.has(input.source))
    return deadLetter(id, input, now, `unknown source "${input.source}" for template ${id}`);
  let raw: unknown = input.value;
  if (raw === undefined) {
    try {
      raw = JSON.parse(input.raw);
    } catch (error) {
      return deadLetter(id, input, now, `not valid JSON: ${(error as Error).message}`);
    }
  }
  let extraction;
  try {
    extraction = compiled.extractor(input.source).extract(raw);
  } catch (error) {
    return deadLetter(id, input, now, `cannot extract: ${(error as Error).message}`);
  }
  if (!extraction.ok) return deadLetter(id, input, now, extraction.reason);
  const record: SessionRecord = {
    recordId: recordId(input.source, input.raw),
    source: input.source,
    eventTime: extraction.eventTime,
    raw,
    fields: extraction.fields,
    late: false,
  };
  let baseline: RoutedRecord['baseline'] = null;
  let supplements: RoutedRecord['supplements'] = NO_SUPPLEMENTS;
  for (const node of compiled.nodesFor(input.source, raw, extraction.fields)) {
    const info = compiled.index.nodes.get(node);
    if (info?.kind === 'baseline') {
      if (baseline !== null) continue;
      const businessKey = extraction.fields[template.baseline.key];
      if (businessKey === null || businessKey === undefined) {
        const reason = `missing business key "${template.baseline.key}" for baseline node ${node}`;
        return deadLetter(id, input, now, reason);
      }
      const key = String(businessKey);
      const tooLong = businessKeyTooLong(template.id, template.baseline.key, node, key);
      if (tooLong !== null) return deadLetter(id, input, now, tooLong);
      baseline = { node, businessKey: key };
    } else {
      const routed = supplementRoute(supplementOf(template, node), extraction.fields);
      if (typeof routed === 'string') return deadLetter(id, input, now, routed);
      supplements = supplements === NO_SUPPLEMENTS ? [routed] : [...supplements, routed];
    }
  }
  return { ok: true, routed: { record, baseline, supplements } };
}

const NO_SUPPLEMENTS: RoutedRecord['supplements'] = Object.freeze([]);

/**
 * Why a business key cannot key a stored session (too many code points for
 * the session id, see `businessKeyLimit`), or null when it can.
 */
function businessKeyTooLong(
  templateId: string,
  field: string,
  node: string,
  key: string,
): string | null {
  const limit = businessKeyLimit(templateId);
  const chars = codePointsOver(key, limit);
  if (chars === null) return null;
  return `business key "${field}" of baseline node ${node} is ${chars} characters long; a session of template ${templateId} can be stored with keys of at most ${limit} (its id is ${templateId}/<key>/<start>)`;
}

/** A supplement record's join keys and composite key, or the reason it has none. */
function supplementRoute(
  supplement: Supplement,
  fields: Readonly<Record<string, FieldValue>>,
): RoutedRecord['supplements'][number] | string {
  const keys: Record<string, FieldValue> = {};
  const values: FieldValue[] = [];
  let missing: string[] | null = null;
  for (const join of supplement.join) {
    const value = fields[join.record] ?? null;
    keys[join.record] = value;
    values.push(value);
    if (value === null) (missing ??= []).push(`"${join.record}"`);
  }
  if (missing !== null)
    return `missing join key ${missing.join(', ')} for supplement ${supplement.id}`;
  return { node: supplement.id, joinKey: JSON.stringify(values), keys };
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
