import { compileExpression, type CompiledExpression } from './cel-compile.js';
import { recordEnvironment } from './cel-environment.js';
import { convertValue, decodeTime } from './convert.js';
import type { FieldValue } from './session.js';
import type { EventSource, FieldSpec, FieldsSchema, SqlSource } from './template.js';
import type { z } from 'zod';

/** A raw record turned into the unified view, or why it is a dead letter. */
export type Extraction =
  | { ok: true; eventTime: number; fields: Record<string, FieldValue> }
  | { ok: false; reason: string };

/** Extracts event time and fields from a source's raw records; build once per source. */
export interface RecordExtractor {
  readonly sourceId: string;
  extract(raw: unknown): Extraction;
}

/** Extracts fields from a SQL dimension row (`fields[].path` is the column name). */
export interface RowExtractor {
  readonly sourceId: string;
  extract(row: Readonly<Record<string, unknown>>): Record<string, FieldValue>;
}

type Getter = (raw: unknown) => unknown;

/** Precompiles a dot path (`account.device_id`, `hits.0`) into a getter. */
export function compilePath(path: string): Getter {
  const parts = path.split('.');
  const isObject = (value: unknown): value is Record<string, unknown> =>
    typeof value === 'object' && value !== null;
  // Paths of one or two segments (almost all of them) get a getter without a loop.
  if (parts.length === 1) {
    const [a] = parts as [string];
    return (raw) => (isObject(raw) ? raw[a] : undefined);
  }
  if (parts.length === 2) {
    const [a, b] = parts as [string, string];
    return (raw) => {
      if (!isObject(raw)) return undefined;
      const inner = raw[a];
      return isObject(inner) ? inner[b] : undefined;
    };
  }
  return (raw) => {
    let current = raw;
    for (const part of parts) {
      if (!isObject(current)) return undefined;
      current = current[part];
    }
    return current;
  };
}

interface FieldPlan {
  name: string;
  spec: FieldSpec;
  type: FieldSpec['type'];
  required: boolean;
  get: Getter | null;
  expr: CompiledExpression | null;
}

function planFields(fields: z.infer<typeof FieldsSchema>, pathPrefix: string): FieldPlan[] {
  const environment = recordEnvironment();
  return Object.entries(fields).map(([name, spec]) => ({
    name,
    spec,
    type: spec.type,
    required: spec.required,
    get: spec.path === undefined ? null : compilePath(spec.path),
    expr:
      spec.expr === undefined
        ? null
        : compileExpression(spec.expr, environment, {
            path: `${pathPrefix}.fields.${name}.expr`,
            expect: spec.type,
          }),
  }));
}

/**
 * Builds the extractor of an event source. A record is a dead letter when it
 * is not a JSON object, has no decodable event time, or a `required` field is
 * missing or does not convert; an optional field that does not convert is null.
 *
 * @example
 * const extractor = compileExtractor(source, 'sources[0]');
 * const out = extractor.extract({ ts: 1764000000123, order_id: 'O1' });
 * if (out.ok) out.fields.order_id; // 'O1'
 */
export function compileExtractor(
  source: EventSource,
  pathPrefix = `source ${source.id}`,
): RecordExtractor {
  const plans = planFields(source.fields, pathPrefix);
  const getTime = compilePath(source.time.path);
  const { path: timePath, encoding } = source.time;
  return {
    sourceId: source.id,
    extract(raw) {
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
        return { ok: false, reason: `record of ${source.id} is not a JSON object` };
      const timeValue = getTime(raw);
      if (timeValue === undefined || timeValue === null)
        return { ok: false, reason: `missing event time "${timePath}"` };
      const time = decodeTime(timeValue, encoding);
      if (!time.ok) return { ok: false, reason: `event time "${timePath}": ${time.reason}` };
      const fields: Record<string, FieldValue> = {};
      for (const plan of plans) {
        const value = plan.get !== null ? plan.get(raw) : (plan.expr?.evaluate({ raw }) ?? null);
        // Values that already have the declared type need no conversion (and no result object).
        if (
          (plan.type === 'string' && typeof value === 'string') ||
          (plan.type === 'number' && typeof value === 'number' && Number.isFinite(value)) ||
          (plan.type === 'boolean' && typeof value === 'boolean')
        ) {
          fields[plan.name] = value;
          continue;
        }
        if ((value === null || value === undefined) && !plan.required) {
          fields[plan.name] = null;
          continue;
        }
        const converted = convertValue(value, plan.spec.type, plan.spec.encoding);
        const result = converted.ok ? converted.value : null;
        if (plan.spec.required && result === null) {
          const where = plan.spec.path !== undefined ? `path "${plan.spec.path}"` : 'expr';
          return {
            ok: false,
            reason: converted.ok
              ? `required field "${plan.name}" (${where}) is missing`
              : `required field "${plan.name}" (${where}): ${converted.reason}`,
          };
        }
        fields[plan.name] = result;
      }
      return { ok: true, eventTime: time.value as number, fields };
    },
  };
}

/** Builds the row mapper of a SQL dimension source (unconvertible values become null). */
export function compileRowExtractor(
  source: SqlSource,
  pathPrefix = `source ${source.id}`,
): RowExtractor {
  const plans = planFields(source.fields, pathPrefix);
  return {
    sourceId: source.id,
    extract(row) {
      const fields: Record<string, FieldValue> = {};
      for (const plan of plans) {
        const value =
          plan.get !== null ? plan.get(row) : (plan.expr?.evaluate({ raw: row }) ?? null);
        const converted = convertValue(value, plan.spec.type, plan.spec.encoding);
        fields[plan.name] = converted.ok ? converted.value : null;
      }
      return fields;
    },
  };
}
