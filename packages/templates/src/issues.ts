/** One validation problem, located by its path in the template, e.g. `baseline.nodes[2].source`. */
export interface TemplateIssue {
  /** Dot/bracket path into the template JSON; empty for the whole document. */
  path: string;
  /** What is wrong and what to do about it. */
  message: string;
  /** Stable machine-readable kind, e.g. `unknown_source`, `bounds_inverted`, `cel_type`. */
  code: string;
}

/**
 * Formats a path as `a.b[2].c` (record keys that are not identifiers as `["key"]`).
 *
 * @example formatPath(['baseline', 'nodes', 2, 'source']) // 'baseline.nodes[2].source'
 */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (typeof part === 'string' && /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(part))
      out += out === '' ? part : `.${part}`;
    else out += `[${JSON.stringify(String(part))}]`;
  }
  return out;
}

/** Collects issues under a common prefix; the semantic checks write into one of these. */
export class IssueList {
  readonly items: TemplateIssue[] = [];

  add(path: string, code: string, message: string): void {
    this.items.push({ path, code, message });
  }
}

/** Lists names for a message: `a, b, c` or `(none)`. */
export function listNames(names: Iterable<string>): string {
  const all = [...names];
  return all.length === 0 ? '(none)' : all.join(', ');
}
