import { listNames, type IssueList } from './issues.js';
import { indexTemplate } from './model.js';
import type { Template } from './template.js';

/** The behavior tree: known nodes, one parent per node, no cycles, no duplicate edges. */
export function checkTree(issues: IssueList, template: Template): void {
  const nodes = indexTemplate(template).nodes;
  const parent = new Map<string, string>();
  const seen = new Set<string>();
  template.tree.edges.forEach((edge, i) => {
    const path = `tree.edges[${i}]`;
    let known = true;
    for (const end of ['from', 'to'] as const) {
      if (!nodes.has(edge[end])) {
        known = false;
        issues.add(
          `${path}.${end}`,
          'unknown_node',
          `"${edge[end]}" is not a node; nodes: ${listNames(nodes.keys())}`,
        );
      }
    }
    if (!known) return;
    if (edge.from === edge.to) {
      issues.add(path, 'tree_self_edge', `edge from "${edge.from}" to itself; remove it`);
      return;
    }
    const pair = `${edge.from}->${edge.to}`;
    if (seen.has(pair)) {
      issues.add(path, 'duplicate_edge', `edge ${edge.from} → ${edge.to} is declared twice`);
      return;
    }
    seen.add(pair);
    const prior = parent.get(edge.to);
    if (prior !== undefined) {
      issues.add(
        `${path}.to`,
        'tree_two_parents',
        `"${edge.to}" already has parent "${prior}"; in a behavior tree each node has one parent`,
      );
      return;
    }
    parent.set(edge.to, edge.from);
    const cycle = findCycle(parent, edge.to);
    if (cycle !== null) {
      issues.add(
        path,
        'tree_cycle',
        `edge ${edge.from} → ${edge.to} closes a cycle: ${cycle.join(' → ')}`,
      );
      parent.delete(edge.to);
    }
  });
}

/** Walks parent links from `start`; returns the cycle if it comes back to `start`. */
function findCycle(parent: ReadonlyMap<string, string>, start: string): string[] | null {
  const chain = [start];
  let current = parent.get(start);
  while (current !== undefined) {
    chain.push(current);
    if (current === start) return chain.reverse();
    if (chain.length > parent.size + 1) return null;
    current = parent.get(current);
  }
  return null;
}
