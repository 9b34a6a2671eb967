import type { BehaviorTreeView, NodeStatus, TreeNodeView } from './behavior-tree';
import { formatGap } from './behavior-tree';

/**
 * Behavior-tree view model → ECharts `tree` series data. Assumes the view came
 * from {@link buildBehaviorTree} (children ids resolve). Several roots hang
 * under one synthetic node named after the business key.
 */

export const STATUS_COLORS: Record<NodeStatus, string> = {
  present: '#2f855a',
  missing: '#b42318',
  duplicated: '#d9480f',
  late: '#b7791f',
  out_of_order: '#6b46c1',
};

export interface TreeChartDatum {
  /** Node id, so a click can select the node's records. */
  id: string;
  name: string;
  value: string;
  itemStyle: { color: string; borderColor: string; borderType: 'solid' | 'dashed' };
  symbol: 'circle' | 'emptyCircle' | 'diamond';
  children: TreeChartDatum[];
}

function nodeLine(node: TreeNodeView): string {
  const gap = node.sinceParentMs === null ? '' : ` (+${formatGap(node.sinceParentMs)})`;
  const state = node.status === 'present' ? '' : ` — ${node.problems.join(', ')}`;
  return `${node.label}${gap}${state}`;
}

function toDatum(node: TreeNodeView, byId: Map<string, TreeNodeView>): TreeChartDatum {
  const color = STATUS_COLORS[node.status];
  return {
    id: node.id,
    name: nodeLine(node),
    value: node.status,
    itemStyle: {
      color: node.status === 'missing' ? '#ffffff' : color,
      borderColor: color,
      borderType: node.status === 'missing' ? 'dashed' : 'solid',
    },
    symbol:
      node.kind === 'supplement' ? 'diamond' : node.status === 'missing' ? 'emptyCircle' : 'circle',
    children: node.children.flatMap((id) => {
      const child = byId.get(id);
      return child ? [toDatum(child, byId)] : [];
    }),
  };
}

/** The root datum of the tree series. */
export function toTreeChartData(view: BehaviorTreeView): TreeChartDatum {
  const byId = new Map(view.nodes.map((n) => [n.id, n]));
  const roots = view.roots.flatMap((id) => {
    const node = byId.get(id);
    return node ? [toDatum(node, byId)] : [];
  });
  if (roots.length === 1 && roots[0]) return roots[0];
  return {
    id: '$session',
    name: view.businessKey,
    value: 'session',
    itemStyle: { color: '#5b6676', borderColor: '#5b6676', borderType: 'solid' },
    symbol: 'circle',
    children: roots,
  };
}

/** The full ECharts option for the behavior tree (left-to-right, all levels expanded). */
export function treeChartOption(view: BehaviorTreeView) {
  return {
    tooltip: { trigger: 'item' as const, formatter: '{b}' },
    series: [
      {
        type: 'tree' as const,
        data: [toTreeChartData(view)],
        orient: 'LR' as const,
        top: 20,
        bottom: 20,
        left: 140,
        right: 260,
        symbolSize: 14,
        initialTreeDepth: -1,
        expandAndCollapse: false,
        label: { position: 'left' as const, verticalAlign: 'middle' as const, fontSize: 13 },
        leaves: { label: { position: 'right' as const, align: 'left' as const } },
        lineStyle: { width: 2 },
      },
    ],
  };
}
