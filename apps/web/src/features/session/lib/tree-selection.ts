import type { BehaviorTreeView } from './behavior-tree';

/**
 * Which step the tree opens on, and each step's depth for the indented list.
 * Assumes the view came from `buildBehaviorTree` (parents and roots resolve).
 */

/** The first step with a problem (what an operator came for), else the first root. */
export function defaultSelection(view: BehaviorTreeView): string | null {
  return view.nodes.find((n) => n.problems.length > 0)?.id ?? view.roots[0] ?? null;
}

/** Depth of every node: 0 for roots, parent + 1 below (cycles cut at the node count). */
export function depthsOf(view: BehaviorTreeView): Map<string, number> {
  const parentOf = new Map(view.nodes.map((n) => [n.id, n.parent]));
  const depths = new Map<string, number>();
  for (const node of view.nodes) {
    let depth = 0;
    for (let at = node.parent; at !== null && depth < view.nodes.length; depth++) {
      at = parentOf.get(at) ?? null;
    }
    depths.set(node.id, depth);
  }
  return depths;
}
