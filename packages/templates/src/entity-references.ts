import { listNames } from './issues.js';
import { collectMatches, isAst, type AstNode } from './references.js';

/**
 * Checks the `entity.<kind>.<feature>` references of an expression against
 * the template's `entities` section, so that a typo gets a message naming
 * the feature and what to declare instead of cel-js's bare "No such key".
 */

/** `[kind, feature]` of `entity.kind.feature`, `[kind]` of `entity.kind`, `[]` of `entity`, else null. */
function entityPath(node: AstNode): string[] | null {
  if (node.op === 'id') return node.args === 'entity' ? [] : null;
  if (node.op !== '.' || !Array.isArray(node.args)) return null;
  const [target, name] = node.args as [unknown, unknown];
  if (!isAst(target) || typeof name !== 'string') return null;
  const inner = entityPath(target);
  return inner === null ? null : [...inner, name];
}

/**
 * The first problem with the entity features an expression reads, or null.
 * `entities` is kind → feature names where features are readable, null where
 * they are not (`earlyFire.expr`).
 *
 * @example entityReferenceProblem(ast, { account: ['payments_1h'] }) // for entity.account.payments_2h: '"payments_2h" is not a feature …'
 */
export function entityReferenceProblem(
  ast: unknown,
  entities: Readonly<Record<string, readonly string[]>> | null,
): string | null {
  for (const path of collectMatches(ast, entityPath)) {
    const [kind, feature] = path;
    const written = ['entity', ...path].join('.');
    if (entities === null)
      return `${written}: entity features cannot be read here: only derived fields, conclusions and explanations read them (earlyFire runs before they are read)`;
    const kinds = Object.keys(entities);
    if (kinds.length === 0)
      return `${written}: the template declares no entities: add an "entities" section with kind "${kind ?? 'account'}" and its features (README "entities")`;
    if (kind === undefined || feature === undefined)
      return `${written}: read one feature, e.g. entity.${kind ?? kinds[0]}.${entities[kind ?? (kinds[0] as string)]?.[0] ?? 'payments_1h'}`;
    const features = entities[kind];
    if (features === undefined)
      return `${written}: "${kind}" is not an entity kind; kinds: ${listNames(kinds)}: fix the name or declare it in entities.kinds`;
    if (!features.includes(feature))
      return `${written}: "${feature}" is not a feature of entity kind "${kind}"; its features: ${listNames(features)}: fix the name or add it to entities.kinds[${kinds.indexOf(kind)}].features, e.g. {"name": "${feature}", "agg": "count", "window": "1h"}`;
  }
  return null;
}
