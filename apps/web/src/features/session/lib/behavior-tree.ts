import type { FieldValue, Session, SessionRecord, Severity, Template } from '@weft/templates';

/**
 * Session → behavior-tree view model: what an operator reads on the session
 * page, decided here so the components only render.
 *
 * Assumes `session` was produced for `template` (node ids match the template's
 * baseline and supplement ids); nodes the template does not know are kept and
 * reported, never dropped.
 */

/** The part of a template the tree needs (so older stored versions work too). */
export type TreeTemplate = Pick<Template, 'baseline' | 'supplements' | 'tree' | 'derived'>;

export type NodeStatus = 'present' | 'missing' | 'duplicated' | 'late' | 'out_of_order';

export interface TreeRecordView {
  recordId: string;
  source: string;
  eventTime: number;
  late: boolean;
  fields: Record<string, FieldValue>;
  /** The record exactly as received, pretty-printed (rendered as text, never as HTML). */
  rawText: string;
}

export interface TreeNodeView {
  id: string;
  label: string;
  kind: 'baseline' | 'supplement';
  status: NodeStatus;
  /** Every problem of this node, in words, e.g. "2 records (expected one)". */
  problems: string[];
  recordCount: number;
  /** Event time of the node's first record; null when missing. */
  time: number | null;
  /** The tree parent, or null at a root. */
  parent: string | null;
  /** Milliseconds from the parent's first record to this node's; null when either is missing. */
  sinceParentMs: number | null;
  /** Milliseconds from the session's first record to this node's first; null when missing. */
  offsetMs: number | null;
  edgeLabel: string | null;
  records: TreeRecordView[];
  children: string[];
}

export interface BehaviorTreeView {
  sessionId: string;
  businessKey: string;
  /** Every node in template order: baseline steps, then supplements, then unknown nodes. */
  nodes: TreeNodeView[];
  roots: string[];
  /** One line per problem in the whole tree, in node order: "Item delivery: missing". */
  problems: string[];
  keyFields: [string, FieldValue][];
  derivedFields: [string, FieldValue][];
  verdict: {
    conclusion: string;
    label: string;
    severity: Severity;
    explanation: string;
    inputs: [string, FieldValue][];
  } | null;
  /** Conclusions that also held, after the verdict, in priority order. */
  otherVerdicts: { conclusion: string; label: string; severity: Severity }[];
  durationMs: number;
}

interface NodeSpec {
  id: string;
  label: string;
  kind: 'baseline' | 'supplement';
  expectsMany: boolean;
}

function nodeSpecs(template: TreeTemplate, session: Session): NodeSpec[] {
  const specs: NodeSpec[] = [
    ...template.baseline.nodes.map((n) => ({
      id: n.id,
      label: n.label,
      kind: 'baseline' as const,
      expectsMany: false,
    })),
    ...template.supplements.map((s) => ({
      id: s.id,
      label: s.label,
      kind: 'supplement' as const,
      expectsMany: s.cardinality === 'many',
    })),
  ];
  const known = new Set(specs.map((s) => s.id));
  for (const node of session.nodes) {
    if (!known.has(node.node)) {
      known.add(node.node);
      specs.push({ id: node.node, label: node.node, kind: node.kind, expectsMany: false });
    }
  }
  return specs;
}

/**
 * Parent of each node: the tree edges when given, else the baseline chain.
 * A supplement no edge places hangs under its anchor, labelled with its join keys.
 */
function parentsOf(
  template: TreeTemplate,
): Map<string, { from: string; label: string | null; ordered: boolean }> {
  const parents = new Map<string, { from: string; label: string | null; ordered: boolean }>();
  if (template.tree.edges.length > 0) {
    for (const edge of template.tree.edges) {
      if (!parents.has(edge.to)) {
        parents.set(edge.to, { from: edge.from, label: edge.label ?? null, ordered: edge.ordered });
      }
    }
  } else {
    template.baseline.nodes.forEach((node, i) => {
      const previous = template.baseline.nodes[i - 1];
      if (previous) parents.set(node.id, { from: previous.id, label: null, ordered: true });
    });
  }
  for (const s of template.supplements) {
    if (parents.has(s.id)) continue;
    parents.set(s.id, {
      from: s.anchor,
      label: s.join.map((j) => j.session).join(' + '),
      ordered: false,
    });
  }
  return parents;
}

function recordView(record: SessionRecord): TreeRecordView {
  return {
    recordId: record.recordId,
    source: record.source,
    eventTime: record.eventTime,
    late: record.late,
    fields: record.fields,
    rawText: JSON.stringify(record.raw, null, 2) ?? String(record.raw),
  };
}

/**
 * Builds the behavior tree of one session.
 *
 * @example buildBehaviorTree(session, template).problems // ['Item delivery: missing']
 */
export function buildBehaviorTree(session: Session, template: TreeTemplate): BehaviorTreeView {
  const recordsByNode = new Map<string, SessionRecord[]>();
  for (const node of session.nodes) {
    const list = recordsByNode.get(node.node) ?? [];
    list.push(...node.records);
    recordsByNode.set(node.node, list);
  }
  const parents = parentsOf(template);
  const specs = nodeSpecs(template, session);
  const firstTime = new Map<string, number>();
  for (const spec of specs) {
    const times = (recordsByNode.get(spec.id) ?? []).map((r) => r.eventTime);
    if (times.length > 0) firstTime.set(spec.id, Math.min(...times));
  }
  const sessionStart = firstTime.size > 0 ? Math.min(...firstTime.values()) : null;

  const nodes: TreeNodeView[] = specs.map((spec) => {
    const records = [...(recordsByNode.get(spec.id) ?? [])].sort(
      (a, b) => a.eventTime - b.eventTime,
    );
    const parent = parents.get(spec.id) ?? null;
    const time = firstTime.get(spec.id) ?? null;
    const parentTime = parent ? (firstTime.get(parent.from) ?? null) : null;
    const sinceParentMs = time !== null && parentTime !== null ? time - parentTime : null;
    const problems: string[] = [];
    const statuses: NodeStatus[] = [];
    if (records.length === 0) {
      problems.push('missing');
      statuses.push('missing');
    }
    if (records.length > 1) {
      problems.push(`${records.length} records${spec.expectsMany ? '' : ' (expected one)'}`);
      statuses.push('duplicated');
    }
    const late = records.filter((r) => r.late).length;
    if (late > 0) {
      problems.push(`${late} late record${late > 1 ? 's' : ''}`);
      statuses.push('late');
    }
    if (parent?.ordered && sinceParentMs !== null && sinceParentMs < 0) {
      problems.push(`before its previous step by ${formatGap(-sinceParentMs)}`);
      statuses.push('out_of_order');
    }
    return {
      id: spec.id,
      label: spec.label,
      kind: spec.kind,
      status: statuses[0] ?? 'present',
      problems,
      recordCount: records.length,
      time,
      parent: parent?.from ?? null,
      sinceParentMs,
      offsetMs: time !== null && sessionStart !== null ? time - sessionStart : null,
      edgeLabel: parent?.label ?? null,
      records: records.map(recordView),
      children: [],
    };
  });

  const byId = new Map(nodes.map((n) => [n.id, n]));
  const roots: string[] = [];
  for (const node of nodes) {
    const parent = node.parent ? byId.get(node.parent) : undefined;
    if (parent) parent.children.push(node.id);
    else {
      node.parent = null;
      roots.push(node.id);
    }
  }

  const derivedNames = new Set(template.derived.map((d) => d.name));
  const entries = Object.entries(session.fields);
  const key = template.baseline.key;
  const keyFields = entries
    .filter(([name]) => !derivedNames.has(name))
    .sort(([a], [b]) => (a === key ? -1 : b === key ? 1 : a.localeCompare(b)));
  const derivedFields = entries.filter(([name]) => derivedNames.has(name));
  const verdict = session.verdict;

  return {
    sessionId: session.sessionId,
    businessKey: session.businessKey,
    nodes,
    roots,
    problems: [
      ...nodes.flatMap((n) => n.problems.map((p) => `${n.label}: ${p}`)),
      ...spanProblem(session, template),
    ],
    keyFields,
    derivedFields,
    verdict: verdict && {
      conclusion: verdict.conclusion,
      label: verdict.label,
      severity: verdict.severity,
      explanation: verdict.explanation,
      inputs: Object.entries(verdict.inputs),
    },
    otherVerdicts: session.verdicts
      .filter((v) => v.conclusion !== verdict?.conclusion)
      .map((v) => ({ conclusion: v.conclusion, label: v.label, severity: v.severity })),
    durationMs: session.end - session.start,
  };
}

/**
 * A session longer than the template's `maxSpan`: the engine does not cut it,
 * but supplements, late records and entity features wait only `maxSpan` for
 * a session, so some may have missed this one. None without a known maxSpan.
 */
function spanProblem(session: Session, template: TreeTemplate): string[] {
  const maxSpan = template.baseline.maxSpan;
  const span = session.end - session.start;
  if (maxSpan <= 0 || span <= maxSpan) return [];
  return [
    `Session: spans ${formatGap(span)}, longer than the template's maxSpan (${formatGap(maxSpan)}); supplements, late records or entity features may have missed it`,
  ];
}

/**
 * A duration for people: `850 ms`, `12.5 s`, `3 min 20 s`, `2 h 5 min`.
 *
 * @example formatGap(200_000) // '3 min 20 s'
 */
export function formatGap(ms: number): string {
  const sign = ms < 0 ? '−' : '';
  const abs = Math.abs(ms);
  if (abs < 1_000) return `${sign}${abs} ms`;
  if (abs < 60_000) return `${sign}${Number((abs / 1_000).toFixed(1))} s`;
  if (abs < 3_600_000) {
    const s = Math.round((abs % 60_000) / 1_000);
    return `${sign}${Math.floor(abs / 60_000)} min${s ? ` ${s} s` : ''}`;
  }
  const min = Math.round((abs % 3_600_000) / 60_000);
  return `${sign}${Math.floor(abs / 3_600_000)} h${min ? ` ${min} min` : ''}`;
}
