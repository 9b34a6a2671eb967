'use client';

import { SeverityBadge } from '@/components/severity-badge';
import { BehaviorTree } from '@/features/session';
import type { CheckResponse } from '../lib/check-response';
import type { PreviewModel } from '../lib/preview-model';
import type { PreviewNotice } from '../lib/preview-lookups';

/**
 * The wizard's right-hand preview: at every step the server validates the
 * draft and, when it is valid, correlates the samples with @weft/engine's batch
 * mode; this panel shows the resulting behavior trees (the session page's own
 * component), orphans, dead letters with their reasons and records no node took,
 * under the notices of enrichment lookups whose table it could not (fully) read.
 * An invalid draft shows its validation errors with their paths instead.
 */
export function PreviewPanel({ check }: { check: CheckResponse | null }) {
  return (
    <aside className="panel" aria-label="Live preview" data-testid="preview">
      <h2 style={{ marginTop: 0 }}>Live preview</h2>
      {!check && <div className="skeleton" style={{ height: 120 }} />}
      {check && !check.ok && (
        <div data-testid="preview-errors">
          <p className="error">
            The draft has {check.errors.length} problem(s); the preview runs once they are fixed:
          </p>
          <ul className="error">
            {check.errors.map((issue) => (
              <li key={`${issue.path}:${issue.code}`}>
                <code>{issue.path || '(template)'}</code>: {issue.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      {check?.preview && !check.preview.ok && (
        <p className="error" data-testid="preview-failed">
          {check.preview.error}
        </p>
      )}
      {check?.preview?.ok && (
        <>
          <PreviewNotices notices={check.preview.notices} />
          <PreviewResult model={check.preview.model} elapsedMs={check.preview.elapsedMs} />
        </>
      )}
      {check?.warnings.map((w) => (
        <p key={w.path + w.code} className="muted">
          ⚠ <code>{w.path}</code>: {w.message}
        </p>
      ))}
    </aside>
  );
}

/** Why enrichment fields are null (or partly null) in this preview, each naming its lookup and table. */
function PreviewNotices({ notices }: { notices: PreviewNotice[] }) {
  if (notices.length === 0) return null;
  return (
    <div className="notice" role="status" data-testid="preview-notices">
      <ul style={{ margin: 0, paddingLeft: '1.25rem' }}>
        {notices.map((n) => (
          <li key={`${n.lookupId}:${n.table}`} data-lookup={n.lookupId} data-table={n.table}>
            {/* Commands in a notice are between backticks: shown as code. */}
            {n.message
              .split('`')
              .map((part, i) => (i % 2 === 1 ? <code key={i}>{part}</code> : part))}
          </li>
        ))}
      </ul>
    </div>
  );
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function PreviewResult({ model, elapsedMs }: { model: PreviewModel; elapsedMs: number }) {
  return (
    <>
      <p className="muted" data-testid="preview-summary">
        @weft/engine batch run over {plural(model.inputs, 'sample')}:{' '}
        {plural(model.trees.length, 'session')}, {plural(model.orphans.length, 'orphan')},{' '}
        {plural(model.deadLetters.length, 'dead letter')}
        {model.unrouted.length > 0 ? `, ${model.unrouted.length} taken by no node` : ''} (
        {elapsedMs} ms).
      </p>
      {model.inputs === 0 && (
        <p className="muted">Add sample records in step 1 to see the sessions they make.</p>
      )}
      {model.trees.map((tree) => (
        <section key={tree.sessionId} className="record" aria-label={`Session ${tree.businessKey}`}>
          <h3 style={{ margin: '0.25rem 0' }}>
            <span className="mono">{tree.businessKey}</span>{' '}
            <SeverityBadge
              severity={tree.verdict?.severity ?? null}
              label={tree.verdict?.label ?? null}
            />
          </h3>
          {tree.verdict && <p className="muted">{tree.verdict.explanation}</p>}
          <BehaviorTree view={tree} compact />
        </section>
      ))}
      {model.orphans.length > 0 && (
        <>
          <h3>Orphans (supplements no session took)</h3>
          {model.orphans.map((o, i) => (
            <details key={i} data-testid="orphan">
              <summary className="mono">
                {o.node} ·{' '}
                {Object.entries(o.keys)
                  .map(([k, v]) => `${k}=${String(v)}`)
                  .join(', ')}
              </summary>
              <pre className="raw">{o.rawText}</pre>
            </details>
          ))}
        </>
      )}
      {model.deadLetters.length > 0 && (
        <>
          <h3>Dead letters</h3>
          <ul data-testid="dead-letters">
            {model.deadLetters.map((d, i) => (
              <li key={i}>
                <strong className="mono">{d.source}</strong>: {d.reason}
                <pre className="raw">{d.raw}</pre>
              </li>
            ))}
          </ul>
        </>
      )}
      {model.unrouted.length > 0 && (
        <>
          <h3>Taken by no node (filtered out)</h3>
          {model.unrouted.map((u, i) => (
            <pre key={i} className="raw">
              {u.source} {u.raw}
            </pre>
          ))}
        </>
      )}
      {model.late.length > 0 && (
        <p className="muted">{plural(model.late.length, 'record')} arrived behind the watermark.</p>
      )}
    </>
  );
}
