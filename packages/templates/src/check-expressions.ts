import { compileExpression, type CompileOptions } from './cel-compile.js';
import { recordEnvironment, type ExpressionEnvironment } from './cel-environment.js';
import { ExpressionError } from './errors.js';
import { compileExplanation } from './explanation.js';
import type { IssueList } from './issues.js';
import { indexTemplate, isEventSource } from './model.js';
import { fieldTypes, sessionStageEnvironment } from './scopes.js';
import type { Template } from './template.js';

/**
 * Type-checks every CEL expression of the template against the variables its
 * scope declares (README "CEL environment"), and the derived field names.
 */
export function checkExpressions(issues: IssueList, template: Template): void {
  const index = indexTemplate(template);
  const tryCompile = (
    source: string,
    env: ExpressionEnvironment,
    options: CompileOptions,
  ): void => {
    try {
      compileExpression(source, env, options);
    } catch (error) {
      report(issues, error);
    }
  };

  const rawOnly = recordEnvironment();
  template.sources.forEach((source, i) => {
    for (const [name, spec] of Object.entries(source.fields)) {
      if (spec.expr !== undefined)
        tryCompile(spec.expr, rawOnly, {
          path: `sources[${i}].fields.${name}.expr`,
          expect: spec.type,
        });
    }
  });

  const filters = [
    ...template.baseline.nodes.map((n, i) => ({ node: n, path: `baseline.nodes[${i}].filter` })),
    ...template.supplements.map((s, i) => ({ node: s, path: `supplements[${i}].filter` })),
  ];
  for (const { node, path } of filters) {
    const source = index.sources.get(node.source);
    if (node.filter === undefined || !isEventSource(source)) continue;
    tryCompile(node.filter, recordEnvironment(fieldTypes(source.fields)), {
      path,
      expect: 'boolean',
    });
  }

  const fire = template.baseline.earlyFire;
  if ('expr' in fire) {
    const env = sessionStageEnvironment(template, index, { kind: 'early_fire' });
    tryCompile(fire.expr, env, { path: 'baseline.earlyFire.expr', expect: 'boolean' });
  }

  template.derived.forEach((derived, i) => {
    const path = `derived[${i}]`;
    const owner = index.sessionFields.get(derived.name);
    if (owner !== undefined && owner.origin !== 'derived') {
      issues.add(
        `${path}.name`,
        'field_collision',
        `"${derived.name}" is already a session field (${owner.origin} ${owner.from}); give the derived field another name`,
      );
    }
    const env = sessionStageEnvironment(template, index, { kind: 'derived', index: i });
    tryCompile(derived.expr, env, { path: `${path}.expr`, expect: derived.type });
  });

  if (template.conclusions.length === 0) return;
  const env = sessionStageEnvironment(template, index, { kind: 'conclusion' });
  const sessionFields = new Set(index.sessionFields.keys());
  template.conclusions.forEach((conclusion, i) => {
    tryCompile(conclusion.when, env, { path: `conclusions[${i}].when`, expect: 'boolean' });
    try {
      compileExplanation(
        conclusion.explanation,
        env,
        sessionFields,
        `conclusions[${i}].explanation`,
      );
    } catch (error) {
      report(issues, error);
    }
  });
}

function report(issues: IssueList, error: unknown): void {
  if (!(error instanceof ExpressionError)) throw error;
  issues.add(error.path, 'cel', error.message.slice(error.path.length + 2));
}
