export { buildBehaviorTree, formatGap } from './lib/behavior-tree';
export type { BehaviorTreeView, NodeStatus, TreeNodeView, TreeTemplate } from './lib/behavior-tree';
export { mergeSessions } from './lib/merge';
export { relatedLinks } from './lib/related';
export { toTreeChartData, treeChartOption } from './lib/tree-chart';
export { BehaviorTree } from './components/behavior-tree';
