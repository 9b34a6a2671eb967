/**
 * The wizard's tree step as pure edits of a draft (plain JSON, as an analyst
 * would write it): which nodes an edge may join, adding and removing edges.
 * Assumes the draft is a JSON object; validation (one parent per node, no
 * cycles) stays with @weft/templates, whose errors the step shows.
 */
export interface DraftEdge {
  from: string;
  to: string;
  label?: string;
  ordered: boolean;
}

function list(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? (value as Record<string, unknown>[]) : [];
}

/** Node ids of the draft in template order: baseline steps, then supplements. */
export function treeNodeIds(draft: Record<string, unknown>): string[] {
  const baseline = (draft.baseline ?? {}) as { nodes?: unknown };
  return [...list(baseline.nodes), ...list(draft.supplements)]
    .map((n) => n.id)
    .filter((id): id is string => typeof id === 'string' && id !== '');
}

/** The draft's edges (entries that are not objects are dropped). */
export function treeEdges(draft: Record<string, unknown>): DraftEdge[] {
  const tree = (draft.tree ?? {}) as { edges?: unknown };
  return list(tree.edges).map((e) => ({
    from: String(e.from ?? ''),
    to: String(e.to ?? ''),
    ...(typeof e.label === 'string' && e.label !== '' ? { label: e.label } : {}),
    ordered: e.ordered !== false,
  }));
}

/** A new draft with `edge` added (an edge into the same node replaces the old one: one parent each). */
export function addTreeEdge(
  draft: Record<string, unknown>,
  edge: DraftEdge,
): Record<string, unknown> {
  const label = edge.label?.trim();
  const next: DraftEdge = {
    from: edge.from,
    to: edge.to,
    ordered: edge.ordered,
    ...(label ? { label } : {}),
  };
  const edges = [...treeEdges(draft).filter((e) => e.to !== edge.to), next];
  return { ...draft, tree: { ...((draft.tree ?? {}) as object), edges } };
}

/** A new draft without the edge at `index`. */
export function removeTreeEdge(
  draft: Record<string, unknown>,
  index: number,
): Record<string, unknown> {
  const edges = treeEdges(draft).filter((_, i) => i !== index);
  return { ...draft, tree: { ...((draft.tree ?? {}) as object), edges } };
}
