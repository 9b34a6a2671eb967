import type { TreeNodeView } from '../lib/behavior-tree';
import { formatGap } from '../lib/behavior-tree';
import { STATUS_COLORS } from '../lib/tree-chart';

/** The tree's nodes as a table, each with its raw records (shown as inert text). */
export function NodeList({ nodes }: { nodes: TreeNodeView[] }) {
  return (
    <table>
      <thead>
        <tr>
          <th>Step</th>
          <th>Status</th>
          <th>Time (UTC)</th>
          <th>Since previous</th>
          <th>Records</th>
        </tr>
      </thead>
      <tbody>
        {nodes.map((node) => (
          <tr key={node.id} data-testid={`node-${node.id}`} data-status={node.status}>
            <td>
              <strong>{node.label}</strong>
              <div className="muted mono">
                {node.id} · {node.kind}
              </div>
            </td>
            <td>
              <span style={{ color: STATUS_COLORS[node.status], fontWeight: 600 }}>
                {node.status.replace('_', ' ')}
              </span>
              {node.problems.length > 0 && <div className="muted">{node.problems.join('; ')}</div>}
            </td>
            <td className="mono">
              {node.time === null ? '—' : new Date(node.time).toISOString().slice(11, 23)}
            </td>
            <td>{node.sinceParentMs === null ? '—' : `+${formatGap(node.sinceParentMs)}`}</td>
            <td>
              {node.records.map((record) => (
                <details key={record.recordId}>
                  <summary className="mono">
                    {record.source} @ {new Date(record.eventTime).toISOString().slice(11, 23)}
                    {record.late ? ' (late)' : ''}
                  </summary>
                  <pre className="raw">{record.rawText}</pre>
                </details>
              ))}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
