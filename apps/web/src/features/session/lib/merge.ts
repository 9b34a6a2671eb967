import type { FieldValue, Session, SessionNode, SessionOutcome } from '@weft/templates';

/**
 * Merges two halves of a split session into `into` (the survivor). Assumes
 * both belong to the same template. Records are deduplicated by recordId;
 * `evaluate` recomputes derived fields and conclusions over the merged nodes
 * (the template's own evaluator), so the verdict is never stale.
 */
export function mergeSessions(
  into: Session,
  absorbed: Session,
  evaluate: ((nodes: SessionNode[]) => SessionOutcome) | null,
): { survivor: Session; retired: Session } {
  const nodes = new Map<string, SessionNode>();
  for (const node of [...into.nodes, ...absorbed.nodes]) {
    const existing = nodes.get(node.node) ?? { node: node.node, kind: node.kind, records: [] };
    const ids = new Set(existing.records.map((r) => r.recordId));
    existing.records = [
      ...existing.records,
      ...node.records.filter((r) => !ids.has(r.recordId)),
    ].sort((a, b) => a.eventTime - b.eventTime);
    nodes.set(node.node, existing);
  }
  const mergedNodes = [...nodes.values()];
  const outcome = evaluate?.(mergedNodes) ?? null;
  const fields: Record<string, FieldValue> = { ...absorbed.fields, ...into.fields };
  if (outcome)
    for (const [name, value] of Object.entries(outcome.fields))
      if (value !== null) fields[name] = value;
  const survivor: Session = {
    ...into,
    version: into.version + 1,
    fireReason: 'operator',
    start: Math.min(into.start, absorbed.start),
    end: Math.max(into.end, absorbed.end),
    nodes: mergedNodes,
    fields,
    verdicts: outcome ? outcome.verdicts : into.verdicts,
    verdict: outcome ? outcome.verdict : into.verdict,
  };
  const retired: Session = {
    ...absorbed,
    version: absorbed.version + 1,
    fireReason: 'operator',
    mergedInto: into.sessionId,
  };
  return { survivor, retired };
}
