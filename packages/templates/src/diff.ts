import type { Template } from './template.js';

/** One difference between two template versions. */
export interface TemplateChange {
  /** Where, with array items named by id: `sources[pay_done].topic`, `conclusions[ok].when`. */
  path: string;
  kind: 'added' | 'removed' | 'changed';
  before?: unknown;
  after?: unknown;
  /** True when the running pipeline must be restarted to apply this change. */
  restart: boolean;
}

/** What changed between two versions and whether the change can be applied live. */
export interface TemplateDiff {
  changes: TemplateChange[];
  /** True when any change needs a restart: sources added or removed, a source's kind, topic, path or format, or the business key. */
  requiresRestart: boolean;
  /** Problems with the pair itself: different template ids, version not increased. */
  warnings: string[];
}

/** Array items are matched by these keys, so that reordering or inserting shows as what it is. */
const KEYED_ARRAYS: Readonly<Record<string, (item: Record<string, unknown>) => string>> = {
  sources: (s) => String(s.id),
  'baseline.nodes': (n) => String(n.id),
  supplements: (s) => String(s.id),
  enrichment: (e) => String(e.id),
  'tree.edges': (e) => `${String(e.from)}->${String(e.to)}`,
  derived: (d) => String(d.name),
  conclusions: (c) => String(c.id),
  dashboards: (d) => String(d.id),
  'dashboards.measures': (m) => String(m.id),
};

/** Source properties whose change means reconnecting to different input: restart. */
const RESTART_SOURCE_KEYS = new Set(['kind', 'topic', 'path', 'format']);
/** Arrays whose order is meaning (priority, evaluation order). */
const ORDERED = new Set(['conclusions', 'derived', 'baseline.nodes']);
const IGNORED = new Set(['$schema']);

/**
 * Compares two parsed templates.
 *
 * @example
 * const { changes, requiresRestart } = diffTemplates(v1, v2);
 * for (const c of changes) console.log(`${c.kind} ${c.path}`);
 */
export function diffTemplates(a: Template, b: Template): TemplateDiff {
  const changes: TemplateChange[] = [];
  diffValue('', '', a, b, changes);
  const warnings: string[] = [];
  if (a.id !== b.id) warnings.push(`comparing different templates: "${a.id}" and "${b.id}"`);
  else if (
    changes.some((c) => c.path !== 'version' && c.path !== 'updatedAt') &&
    b.version <= a.version
  )
    warnings.push(
      `the content changed but version did not increase (${a.version} → ${b.version}); publish the change as version ${a.version + 1}`,
    );
  return { changes, requiresRestart: changes.some((c) => c.restart), warnings };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, i) => equal(x, b[i]));
  if (isRecord(a) && isRecord(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const key of keys) if (!equal(a[key], b[key])) return false;
    return true;
  }
  return false;
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

function restartFor(shape: string, kind: TemplateChange['kind']): boolean {
  if (shape === 'sources') return kind !== 'changed';
  const sourceKey = /^sources\.\*\.(\w+)$/.exec(shape)?.[1];
  if (sourceKey !== undefined) return RESTART_SOURCE_KEYS.has(sourceKey);
  return shape === 'baseline.key';
}

/**
 * `shape` is the path without item keys (`sources.*.topic`), used to look up
 * keyed arrays and restart rules; `path` is what the user reads.
 */
function diffValue(
  shape: string,
  path: string,
  a: unknown,
  b: unknown,
  out: TemplateChange[],
): void {
  if (equal(a, b)) return;
  if (a === undefined || b === undefined) {
    const kind = a === undefined ? 'added' : 'removed';
    out.push({
      path,
      kind,
      ...(a === undefined ? { after: b } : { before: a }),
      restart: restartFor(shape, kind),
    });
    return;
  }
  if (isRecord(a) && isRecord(b)) {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      if (shape === '' && IGNORED.has(key)) continue;
      diffValue(join(shape, key), join(path, key), a[key], b[key], out);
    }
    return;
  }
  const keyOf = KEYED_ARRAYS[shape.replace(/\.\*/g, '')];
  if (Array.isArray(a) && Array.isArray(b) && keyOf !== undefined && [...a, ...b].every(isRecord)) {
    diffKeyed(
      shape,
      path,
      a as Record<string, unknown>[],
      b as Record<string, unknown>[],
      keyOf,
      out,
    );
    return;
  }
  out.push({
    path,
    kind: 'changed',
    before: a,
    after: b,
    restart: restartFor(shape, 'changed'),
  });
}

function diffKeyed(
  shape: string,
  path: string,
  a: Record<string, unknown>[],
  b: Record<string, unknown>[],
  keyOf: (item: Record<string, unknown>) => string,
  out: TemplateChange[],
): void {
  const before = new Map(a.map((item) => [keyOf(item), item]));
  const after = new Map(b.map((item) => [keyOf(item), item]));
  for (const [key, item] of before) {
    const itemPath = `${path}[${key}]`;
    if (!after.has(key))
      out.push({
        path: itemPath,
        kind: 'removed',
        before: item,
        restart: restartFor(shape, 'removed'),
      });
    else diffValue(`${shape}.*`, itemPath, item, after.get(key), out);
  }
  for (const [key, item] of after) {
    const itemPath = `${path}[${key}]`;
    if (!before.has(key))
      out.push({
        path: itemPath,
        kind: 'added',
        after: item,
        restart: restartFor(shape, 'added'),
      });
  }
  if (ORDERED.has(shape)) {
    const common = (list: string[], other: Map<string, unknown>): string[] =>
      list.filter((k) => other.has(k));
    const orderBefore = common([...before.keys()], after);
    const orderAfter = common([...after.keys()], before);
    if (!equal(orderBefore, orderAfter))
      out.push({
        path: `${path}(order)`,
        kind: 'changed',
        before: orderBefore,
        after: orderAfter,
        restart: false,
      });
  }
}

/** One line per change, e.g. `changed sources[pay_done].topic: "a" → "b" (restart)`. */
export function formatChange(change: TemplateChange): string {
  const show = (value: unknown): string => {
    const text = JSON.stringify(value) ?? 'undefined';
    return text.length > 60 ? `${text.slice(0, 57)}...` : text;
  };
  const detail =
    change.kind === 'changed'
      ? `: ${show(change.before)} → ${show(change.after)}`
      : change.kind === 'added'
        ? `: ${show(change.after)}`
        : '';
  return `${change.kind} ${change.path}${detail}${change.restart ? ' (restart)' : ''}`;
}
