import { compileExpression, type CompiledExpression } from './cel-compile.js';
import { recordEnvironment } from './cel-environment.js';
import { TemplateError } from './errors.js';
import { compileExplanation, type CompiledExplanation } from './explanation.js';
import {
  compileExtractor,
  compileRowExtractor,
  type RecordExtractor,
  type RowExtractor,
} from './extract.js';
import { indexTemplate, isEventSource, type TemplateIndex } from './model.js';
import { collectReferences, readReference } from './references.js';
import { entityFeatureNames, fieldTypes, sessionStageEnvironment } from './scopes.js';
import type { FieldValue, Verdict } from './session.js';
import {
  buildSessionVars,
  nullFreeView,
  type SessionInput,
  type SessionVars,
} from './session-vars.js';
import type { Conclusion, Template } from './template.js';

/** Derived fields and verdicts of one session evaluation. */
export interface SessionOutcome {
  /** Every session field (baseline, enrichment, derived, then `entity.<kind>.<feature>`); null when absent. */
  fields: Record<string, FieldValue>;
  /** Every conclusion that holds, in priority order. */
  verdicts: Verdict[];
  /** The first of `verdicts`, or null. */
  verdict: Verdict | null;
}

/** A node a record of some source can become, with its filter. */
export interface NodeRoute {
  id: string;
  kind: 'baseline' | 'supplement';
  filter: CompiledExpression | null;
}

/** A template with every expression precompiled: build once, evaluate per record/session. */
export interface CompiledTemplate {
  readonly template: Template;
  readonly index: TemplateIndex;
  /** The extractor of an event source (throws for unknown or SQL sources). */
  extractor(sourceId: string): RecordExtractor;
  /** The row mapper of a SQL dimension source. */
  rowExtractor(sourceId: string): RowExtractor;
  /** Ids of the nodes a record of `sourceId` belongs to (filters applied), baseline nodes first. */
  nodesFor(sourceId: string, raw: unknown, fields: Readonly<Record<string, FieldValue>>): string[];
  /** The early-fire node set, or null when `earlyFire` is an expression. */
  readonly earlyFireNodes: readonly string[] | null;
  /** Whether the early-fire condition holds for the session so far. */
  shouldFireEarly(input: SessionInput): boolean;
  /** Merges baseline fields, adds enrichment, computes derived fields and conclusions. */
  evaluate(input: SessionInput): SessionOutcome;
}

interface CompiledConclusion {
  spec: Conclusion;
  when: CompiledExpression;
  explanation: CompiledExplanation;
  /** Each reference as written (`f.paid`) and split into its path. */
  references: { name: string; path: string[] }[];
}

/**
 * Precompiles a validated template (from {@link loadTemplate}). Throws
 * ExpressionError if an expression does not compile, which validation rules out.
 *
 * @example
 * const compiled = compileTemplate(loadTemplate(json));
 * const out = compiled.extractor('pay_done').extract(raw);
 * const { verdict } = compiled.evaluate({ nodes: session.nodes });
 */
export function compileTemplate(template: Template): CompiledTemplate {
  const index = indexTemplate(template);
  const nodeIds = [...index.nodes.keys()];
  const baselineIds = template.baseline.nodes.map((n) => n.id);

  const extractors = new Map<string, RecordExtractor>();
  const rows = new Map<string, RowExtractor>();
  template.sources.forEach((source, i) => {
    if (isEventSource(source)) extractors.set(source.id, compileExtractor(source, `sources[${i}]`));
    else rows.set(source.id, compileRowExtractor(source, `sources[${i}]`));
  });

  const routes = new Map<string, NodeRoute[]>();
  const addRoute = (sourceId: string, route: NodeRoute): void => {
    const list = routes.get(sourceId) ?? [];
    list.push(route);
    routes.set(sourceId, list);
  };
  const filterOf = (
    sourceId: string,
    filter: string | undefined,
    path: string,
  ): CompiledExpression | null => {
    const source = index.sources.get(sourceId);
    if (filter === undefined || !isEventSource(source)) return null;
    return compileExpression(filter, recordEnvironment(fieldTypes(source.fields)), {
      path,
      expect: 'boolean',
    });
  };
  template.baseline.nodes.forEach((n, i) =>
    addRoute(n.source, {
      id: n.id,
      kind: 'baseline',
      filter: filterOf(n.source, n.filter, `baseline.nodes[${i}].filter`),
    }),
  );
  template.supplements.forEach((s, i) =>
    addRoute(s.source, {
      id: s.id,
      kind: 'supplement',
      filter: filterOf(s.source, s.filter, `supplements[${i}].filter`),
    }),
  );

  const fire = template.baseline.earlyFire;
  const earlyFireNodes = 'all' in fire ? baselineIds : 'nodes' in fire ? fire.nodes : null;
  const earlyFireExpr =
    'expr' in fire
      ? compileExpression(
          fire.expr,
          sessionStageEnvironment(template, index, { kind: 'early_fire' }),
          {
            path: 'baseline.earlyFire.expr',
            expect: 'boolean',
          },
        )
      : null;

  const derived = template.derived.map((d, i) => ({
    name: d.name,
    expr: compileExpression(
      d.expr,
      sessionStageEnvironment(template, index, { kind: 'derived', index: i }),
      {
        path: `derived[${i}].expr`,
        expect: d.type,
      },
    ),
  }));
  const conclusionEnv = sessionStageEnvironment(template, index, { kind: 'conclusion' });
  const sessionFieldNames = new Set(index.sessionFields.keys());
  const conclusions: CompiledConclusion[] = template.conclusions.map((c, i) => {
    const when = compileExpression(c.when, conclusionEnv, {
      path: `conclusions[${i}].when`,
      expect: 'boolean',
    });
    return {
      spec: c,
      when,
      explanation: compileExplanation(
        c.explanation,
        conclusionEnv,
        sessionFieldNames,
        `conclusions[${i}].explanation`,
      ),
      references: collectReferences(conclusionEnv.cel.parse(c.when).ast).map((name) => ({
        name,
        path: name.split('.'),
      })),
    };
  });
  const enrichmentFields = template.enrichment.flatMap((e) => e.fields);
  const baselineFieldNames = [...index.baselineFields.keys()];
  const entityFeatures = Object.entries(entityFeatureNames(template)).flatMap(([kind, names]) =>
    names.map((feature) => ({ kind, feature, field: entityFieldName(kind, feature) })),
  );
  const fieldsShape = objectShape([
    ...baselineFieldNames,
    ...enrichmentFields,
    ...derived.map((d) => d.name),
    ...entityFeatures.map((e) => e.field),
  ]);

  return {
    template,
    index,
    earlyFireNodes,
    extractor(sourceId) {
      const extractor = extractors.get(sourceId);
      if (extractor === undefined)
        throw new TemplateError(`"${sourceId}" is not an event source of template ${template.id}`);
      return extractor;
    },
    rowExtractor(sourceId) {
      const extractor = rows.get(sourceId);
      if (extractor === undefined)
        throw new TemplateError(`"${sourceId}" is not a SQL source of template ${template.id}`);
      return extractor;
    },
    nodesFor(sourceId, raw, fields) {
      const candidates = routes.get(sourceId);
      if (candidates === undefined) return [];
      let vars: object | null = null;
      const out: string[] = [];
      for (const route of candidates) {
        if (route.filter !== null) {
          vars ??= { raw, f: nullFreeView(fields) };
          if (!route.filter.test(vars)) continue;
        }
        out.push(route.id);
      }
      return out;
    },
    shouldFireEarly(input) {
      if (earlyFireNodes !== null) {
        const present = new Set(input.nodes.filter((n) => n.records.length > 0).map((n) => n.node));
        return earlyFireNodes.every((id) => present.has(id));
      }
      const { vars, baseline } = buildSessionVars(input, nodeIds, baselineIds);
      vars.f = baseline;
      return earlyFireExpr?.test(vars) ?? false;
    },
    evaluate(input) {
      const { vars, baseline } = buildSessionVars(input, nodeIds, baselineIds);
      const fields: Record<string, FieldValue> = { ...fieldsShape };
      const f: Record<string, FieldValue> = {};
      // `fields` keeps absent values as null; `f` (what CEL reads) leaves them out.
      for (const name of baselineFieldNames) {
        const value = baseline[name] ?? null;
        fields[name] = value;
        if (value !== null) f[name] = value;
      }
      for (const name of enrichmentFields) {
        const value = input.enrichment?.[name] ?? null;
        fields[name] = value;
        if (value !== null) f[name] = value;
      }
      vars.f = f;
      if (entityFeatures.length > 0) vars.entity = entityVars(input, entityFeatures, fields);
      for (const d of derived) {
        const value = d.expr.evaluate(vars);
        fields[d.name] = value;
        if (value !== null) f[d.name] = value;
      }
      const verdicts: Verdict[] = [];
      for (const c of conclusions) if (c.when.test(vars)) verdicts.push(verdictOf(c, vars));
      return { fields, verdicts, verdict: verdicts[0] ?? null };
    },
  };
}

/**
 * The session field that stores an entity feature a verdict could read:
 * `entity.<kind>.<feature>` (a number or null), next to the template's own
 * fields, so stored sessions explain themselves and storage indexes it like
 * any field.
 *
 * @example entityFieldName('account', 'payments_1h') // 'entity.account.payments_1h'
 */
export function entityFieldName(kind: string, feature: string): string {
  return `entity.${kind}.${feature}`;
}

/** Sets every declared feature's session field (null when absent) and returns the CEL `entity` map (absent left out). */
function entityVars(
  input: SessionInput,
  features: readonly { kind: string; feature: string; field: string }[],
  fields: Record<string, FieldValue>,
): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const { kind, feature, field } of features) {
    const values = (out[kind] ??= {});
    const value = input.entities?.[kind]?.[feature] ?? null;
    fields[field] = value;
    if (value !== null) values[feature] = value;
  }
  return out;
}

/**
 * An object with `names` as keys (null values), in that order, for copying
 * with `{ ...shape }`: a session's fields object has a few dozen keys, and
 * one built key by key falls back to a slow hash-table representation in V8
 * (larger, slower to read and copy); the JSON round trip builds it with
 * fast properties, which a spread copy keeps.
 */
function objectShape(names: readonly string[]): Readonly<Record<string, FieldValue>> {
  return JSON.parse(JSON.stringify(Object.fromEntries(names.map((n) => [n, null])))) as Record<
    string,
    FieldValue
  >;
}

function verdictOf(c: CompiledConclusion, vars: SessionVars): Verdict {
  const inputs: Record<string, FieldValue> = {};
  for (const reference of c.references) {
    const value = readReference(vars, reference.path);
    inputs[reference.name] = Array.isArray(value)
      ? value.length
      : typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
        ? value
        : null;
  }
  return {
    conclusion: c.spec.id,
    label: c.spec.label,
    severity: c.spec.severity,
    explanation: c.explanation.render(vars),
    inputs,
  };
}
