import type { TemplateIssue } from './issues.js';

/** Base class of every error thrown by @weft/templates; catch this to handle them all. */
export class TemplateError extends Error {
  override name: string = 'TemplateError';
}

/** A template failed validation; `issues` names each problem's path. */
export class TemplateValidationError extends TemplateError {
  override name = 'TemplateValidationError' as const;
  readonly issues: readonly TemplateIssue[];

  constructor(issues: readonly TemplateIssue[], what = 'template') {
    const lines = issues.map((issue) => `  ${issue.path || '(root)'}: ${issue.message}`);
    super(
      `${what} is invalid (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n${lines.join('\n')}`,
    );
    this.issues = issues;
  }
}

/** A CEL expression failed to parse, type-check or respect the size caps. */
export class ExpressionError extends TemplateError {
  override name = 'ExpressionError' as const;
  /** Template path of the expression, e.g. `conclusions[2].when`. */
  readonly path: string;

  constructor(path: string, message: string) {
    super(`${path}: ${message}`);
    this.path = path;
  }
}
