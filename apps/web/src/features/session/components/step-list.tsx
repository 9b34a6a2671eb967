import type { TreeNodeView } from '../lib/behavior-tree';
import { formatGap } from '../lib/behavior-tree';
import { STATUS_COLORS } from '../lib/tree-chart';

/**
 * The tree's steps as a keyboard list (the chart's accessible equivalent):
 * Tab reaches each step, Enter or Space selects it, indentation shows depth.
 */
export function StepList({
  nodes,
  depthOf,
  selected,
  onSelect,
}: {
  nodes: TreeNodeView[];
  depthOf: Map<string, number>;
  selected: string | null;
  onSelect: (id: string) => void;
}) {
  return (
    <ol className="step-list" aria-label="Steps">
      {nodes.map((node) => (
        <li
          key={node.id}
          data-testid={`node-${node.id}`}
          data-status={node.status}
          style={{ paddingLeft: `${(depthOf.get(node.id) ?? 0) * 1.25}rem` }}
        >
          <button
            type="button"
            className={node.id === selected ? '' : 'secondary'}
            aria-pressed={node.id === selected}
            onClick={() => onSelect(node.id)}
          >
            {node.kind === 'supplement' ? '◆ ' : ''}
            {node.label}
          </button>{' '}
          <span style={{ color: STATUS_COLORS[node.status], fontWeight: 600 }}>
            {node.status.replace('_', ' ')}
          </span>
          <span className="muted">
            {' · '}
            {node.offsetMs === null ? 'no record' : `+${formatGap(node.offsetMs)}`}
            {node.problems.length > 0 ? ` · ${node.problems.join('; ')}` : ''}
          </span>
        </li>
      ))}
    </ol>
  );
}
