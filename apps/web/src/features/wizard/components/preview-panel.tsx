'use client';

import type { FieldValue, TemplateIssue } from '@weft/templates';

export interface CheckResponse {
  ok: boolean;
  errors: TemplateIssue[];
  warnings: TemplateIssue[];
  diff: { changes: string[]; requiresRestart: boolean; warnings: string[] } | null;
  samples: {
    source: string;
    ok: boolean;
    eventTime: number | null;
    fields: Record<string, FieldValue>;
    reason: string | null;
    nodes: string[];
  }[];
}

/**
 * The wizard's right-hand preview: what the draft extracts from each sample
 * and which node it feeds. Behavior trees built by @weft/engine on the samples
 * are not wired in yet; the panel says so instead of pretending.
 */
export function PreviewPanel({ check }: { check: CheckResponse | null }) {
  return (
    <aside className="panel" aria-label="Live preview" data-testid="preview">
      <h2 style={{ marginTop: 0 }}>Live preview</h2>
      <p className="notice">
        Placeholder: behavior trees correlated by @weft/engine on these samples are not shown yet.
        Below is the real extraction of each sample by this draft (@weft/templates).
      </p>
      {!check && <div className="skeleton" style={{ height: 120 }} />}
      {check && !check.ok && (
        <p className="error">
          {check.errors.length} problem(s): fix them to preview. See the step buttons for where.
        </p>
      )}
      {check?.ok && check.samples.length === 0 && (
        <p className="muted">Add sample records in step 1 to preview extraction.</p>
      )}
      {check?.samples.map((s, i) => (
        <div key={i} style={{ marginBottom: '0.75rem' }}>
          <strong className="mono">{s.source}</strong> →{' '}
          {s.ok ? (
            s.nodes.length ? (
              s.nodes.join(', ')
            ) : (
              'no node (filtered out)'
            )
          ) : (
            <span className="error">dead letter: {s.reason}</span>
          )}
          {s.ok && (
            <pre className="raw">
              {JSON.stringify(
                { eventTime: s.eventTime && new Date(s.eventTime).toISOString(), ...s.fields },
                null,
                2,
              )}
            </pre>
          )}
        </div>
      ))}
      {check?.warnings.map((w) => (
        <p key={w.path + w.code} className="muted">
          ⚠ <code>{w.path}</code>: {w.message}
        </p>
      ))}
    </aside>
  );
}
