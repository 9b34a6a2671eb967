import {
  sessionEnvironment,
  type SessionScopeSpec,
  type ExpressionEnvironment,
} from './cel-environment.js';
import type { TemplateIndex } from './model.js';
import type { FieldType, Template } from './template.js';

/** Field name → type of a source's `fields`. */
export function fieldTypes(
  fields: Readonly<Record<string, { type: FieldType }>>,
): Record<string, FieldType> {
  const out: Record<string, FieldType> = {};
  for (const [name, spec] of Object.entries(fields)) out[name] = spec.type;
  return out;
}

/** Node id → the fields its records carry (its source's fields). */
export function nodeFieldTypes(index: TemplateIndex): Record<string, Record<string, FieldType>> {
  const out: Record<string, Record<string, FieldType>> = {};
  for (const node of index.nodes.values())
    out[node.id] = node.source ? fieldTypes(node.source.fields) : {};
  return out;
}

/**
 * Which session fields an expression sees: `earlyFire` only baseline fields
 * (it runs before enrichment and derivation), derived field i the baseline and
 * enrichment fields plus derived fields 0..i-1, conclusions everything.
 * Derived fields and conclusions also see the entity features.
 */
export type SessionStage =
  { kind: 'early_fire' } | { kind: 'derived'; index: number } | { kind: 'conclusion' };

export function sessionScope(
  template: Template,
  index: TemplateIndex,
  stage: SessionStage,
): SessionScopeSpec {
  const fields: Record<string, FieldType> = {};
  const derivedNames = new Set(template.derived.map((d) => d.name));
  for (const info of index.sessionFields.values()) {
    if (info.origin === 'baseline') fields[info.name] = info.type;
    else if (info.origin === 'enrichment' && stage.kind !== 'early_fire')
      fields[info.name] = info.type;
  }
  if (stage.kind !== 'early_fire') {
    const upTo = stage.kind === 'derived' ? stage.index : template.derived.length;
    template.derived.slice(0, upTo).forEach((d) => {
      if (derivedNames.has(d.name) && fields[d.name] === undefined) fields[d.name] = d.type;
    });
  }
  if (stage.kind === 'early_fire') return { fields, nodes: nodeFieldTypes(index) };
  return { fields, nodes: nodeFieldTypes(index), entities: entityFeatureNames(template) };
}

/**
 * Entity kind → its feature names (`entity.<kind>.<feature>` in CEL). Read
 * by derived fields and conclusions, not by `earlyFire.expr`: features are
 * evaluated with the session, after it fires.
 */
export function entityFeatureNames(template: Template): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const kind of template.entities?.kinds ?? [])
    out[kind.id] = kind.features.map((f) => f.name);
  return out;
}

/** The session environment for a stage. */
export function sessionStageEnvironment(
  template: Template,
  index: TemplateIndex,
  stage: SessionStage,
): ExpressionEnvironment {
  return sessionEnvironment(sessionScope(template, index, stage));
}
