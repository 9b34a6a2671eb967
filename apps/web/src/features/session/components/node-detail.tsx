import type { TreeNodeView } from '../lib/behavior-tree';
import { formatGap } from '../lib/behavior-tree';
import { STATUS_COLORS } from '../lib/tree-chart';
import { FieldTable } from './field-table';
import type { FieldLinks } from './field-table';

function utc(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 23);
}

/** One step in full: status, timing, and each raw record with its extracted fields (inert text). */
export function NodeDetail({ node, links }: { node: TreeNodeView; links?: FieldLinks }) {
  return (
    <section aria-label={`Step ${node.label}`} data-testid="node-detail" aria-live="polite">
      <h3 style={{ marginTop: 0 }}>
        {node.label}{' '}
        <span style={{ color: STATUS_COLORS[node.status] }}>({node.status.replace('_', ' ')})</span>
      </h3>
      <p className="muted mono">
        {node.id} · {node.kind}
        {node.time !== null && ` · ${utc(node.time)} UTC`}
        {node.sinceParentMs !== null &&
          node.parent &&
          ` · +${formatGap(node.sinceParentMs)} after ${node.parent}`}
        {node.edgeLabel && ` · joined on ${node.edgeLabel}`}
      </p>
      {node.problems.length > 0 && <p className="error">{node.problems.join('; ')}</p>}
      {node.records.length === 0 && (
        <p className="muted">No record reached this step in the session.</p>
      )}
      {node.records.map((record) => (
        <div key={record.recordId} className="record" data-testid="node-record">
          <p className="mono">
            {record.source} @ {utc(record.eventTime)}
            {record.late ? ' (late)' : ''} · record {record.recordId}
          </p>
          <FieldTable
            fields={Object.entries(record.fields)}
            empty="The source extracts no fields from this record."
            links={links}
          />
          <pre className="raw">{record.rawText}</pre>
        </div>
      ))}
    </section>
  );
}
