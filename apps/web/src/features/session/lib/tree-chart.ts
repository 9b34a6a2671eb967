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
  symbolSize: number;
  label?: { fontWeight: 'bold' };
  /** Hover text: status, problems and offset from the session start. */
  tooltip: { formatter: string };
  children: TreeChartDatum[];
}

function nodeLine(node: TreeNodeView): string {
  const gap = node.sinceParentMs === null ? '' : ` (+${formatGap(node.sinceParentMs)})`;
  const state = node.status === 'present' ? '' : ` — ${node.problems.join(', ')}`;
  return `${node.label}${gap}${state}`;
}

function hoverText(node: TreeNodeView): string {
  const at =
    node.offsetMs === null ? 'no record' : `at +${formatGap(node.offsetMs)} from the first record`;
  const records = `${node.recordCount} record${node.recordCount === 1 ? '' : 's'}`;
  return [
    `${node.label} (${node.kind})`,
    node.status.replace('_', ' '),
    at,
    records,
    ...node.problems,
  ].join('\n');
}

function toDatum(
  node: TreeNodeView,
  byId: Map<string, TreeNodeView>,
  selected: string | null,
): TreeChartDatum {
  const color = STATUS_COLORS[node.status];
  const isSelected = node.id === selected;
  return {
    id: node.id,
    name: nodeLine(node),
    value: node.status,
    symbolSize: isSelected ? 22 : 14,
    ...(isSelected ? { label: { fontWeight: 'bold' as const } } : {}),
    tooltip: { formatter: hoverText(node) },
    itemStyle: {
      color: node.status === 'missing' ? '#ffffff' : color,
      borderColor: color,
      borderType: node.status === 'missing' ? 'dashed' : 'solid',
    },
    symbol:
      node.kind === 'supplement' ? 'diamond' : node.status === 'missing' ? 'emptyCircle' : 'circle',
    children: node.children.flatMap((id) => {
      const child = byId.get(id);
      return child ? [toDatum(child, byId, selected)] : [];
    }),
  };
}

/** Id of the synthetic root that holds several roots; clicking it selects nothing. */
export const SESSION_ROOT_ID = '$session';

/** The root datum of the tree series; `selected` (a node id) is drawn larger and bold. */
export function toTreeChartData(
  view: BehaviorTreeView,
  selected: string | null = null,
): TreeChartDatum {
  const byId = new Map(view.nodes.map((n) => [n.id, n]));
  const roots = view.roots.flatMap((id) => {
    const node = byId.get(id);
    return node ? [toDatum(node, byId, selected)] : [];
  });
  if (roots.length === 1 && roots[0]) return roots[0];
  return {
    id: SESSION_ROOT_ID,
    name: view.businessKey,
    value: 'session',
    itemStyle: { color: '#5b6676', borderColor: '#5b6676', borderType: 'solid' },
    symbol: 'circle',
    symbolSize: 14,
    tooltip: { formatter: `session ${view.businessKey}` },
    children: roots,
  };
}

/**
 * The full ECharts option for the behavior tree (left-to-right, all levels
 * expanded). Tooltips render as canvas text (`richText`), never as HTML, so
 * labels from templates and records stay inert.
 */
export function treeChartOption(view: BehaviorTreeView, selected: string | null = null) {
  return {
    tooltip: { trigger: 'item' as const, renderMode: 'richText' as const },
    series: [
      {
        type: 'tree' as const,
        data: [toTreeChartData(view, selected)],
        orient: 'LR' as const,
        top: 20,
        bottom: 20,
        left: 80,
        right: 260,
        symbolSize: 14,
        initialTreeDepth: -1,
        expandAndCollapse: false,
        // Above inner nodes (a left label would run into the previous step), right of leaves.
        label: { position: 'top' as const, distance: 8, fontSize: 13 },
        leaves: { label: { position: 'right' as const, align: 'left' as const } },
        lineStyle: { width: 2 },
      },
    ],
  };
}
