import { compileExpression, type CompiledExpression } from './cel-compile.js';
import type { ExpressionEnvironment } from './cel-environment.js';
import { ExpressionError } from './errors.js';
import { listNames } from './issues.js';
import type { FieldValue } from './session.js';

const PLACEHOLDER = /\{\{\s*([^}]*?)\s*\}\}/g;
const IDENTIFIER = /^[a-z][a-z0-9_]*$/;

/** A compiled explanation text: literal parts and placeholder expressions, alternating. */
export interface CompiledExplanation {
  render(vars: object): string;
}

/** How an absent placeholder value is shown. */
export const ABSENT_TEXT = '(none)';

/**
 * Compiles `Order {{order_id}} was delivered {{count.delivery}} times`: a bare
 * name is the session field `f.<name>`; anything else is a CEL expression in
 * the session scope. Throws {@link ExpressionError} naming the placeholder.
 */
export function compileExplanation(
  text: string,
  environment: ExpressionEnvironment,
  sessionFields: ReadonlySet<string>,
  path: string,
): CompiledExplanation {
  const literals: string[] = [];
  const parts: CompiledExpression[] = [];
  let last = 0;
  for (const match of text.matchAll(PLACEHOLDER)) {
    const inner = match[1] ?? '';
    literals.push(text.slice(last, match.index));
    last = match.index + match[0].length;
    if (inner === '')
      throw new ExpressionError(path, `empty placeholder {{}}; write {{field_name}}`);
    let source = inner;
    if (IDENTIFIER.test(inner)) {
      if (!sessionFields.has(inner)) {
        throw new ExpressionError(
          path,
          `placeholder {{${inner}}}: "${inner}" is not a session field; session fields: ${listNames(sessionFields)}`,
        );
      }
      source = `f.${inner}`;
    }
    try {
      parts.push(compileExpression(source, environment, { path }));
    } catch (error) {
      if (!(error instanceof ExpressionError)) throw error;
      throw new ExpressionError(
        path,
        `placeholder {{${inner}}}: ${error.message.slice(path.length + 2)}`,
      );
    }
  }
  literals.push(text.slice(last));
  if (text.slice(last).includes('{{'))
    throw new ExpressionError(path, 'unclosed placeholder: every "{{" needs a matching "}}"');
  return {
    render(vars) {
      let out = literals[0] ?? '';
      for (let i = 0; i < parts.length; i++)
        out += show((parts[i] as CompiledExpression).evaluate(vars)) + (literals[i + 1] ?? '');
      return out;
    },
  };
}

function show(value: FieldValue): string {
  return value === null ? ABSENT_TEXT : String(value);
}
