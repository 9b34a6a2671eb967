'use client';

import { useEffect, useMemo, useState } from 'react';
import { describeFailure } from '@/lib/fetch-json';
import { addExtractedField, issuesForStep, samplePaths, WIZARD_STEPS } from '../lib/wizard-steps';
import type { WizardStepId } from '../lib/wizard-steps';
import type { CheckResponse } from '../lib/check-response';
import { parseSampleLines } from '../lib/sample-lines';
import { PreviewPanel } from './preview-panel';
import { TreeEditor } from './tree-editor';

type Draft = Record<string, unknown>;

/** The step-by-step template editor: each step edits its sections; checks run on every change. */
export function TemplateWizard({
  initial,
  initialSamples,
}: {
  initial: Draft;
  initialSamples: string;
}) {
  const [draft, setDraft] = useState<Draft>(initial);
  const [step, setStep] = useState<WizardStepId>('sources');
  const [sectionText, setSectionText] = useState<Record<string, string>>({});
  const [sampleText, setSampleText] = useState(initialSamples);
  const [check, setCheck] = useState<CheckResponse | null>(null);
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);
  const [source, setSource] = useState<string>('');
  const stepInfo = WIZARD_STEPS.find((s) => s.id === step) ?? WIZARD_STEPS[0];
  const { samples, error: sampleError } = useMemo(() => parseSampleLines(sampleText), [sampleText]);
  const sourceIds = Array.isArray(draft.sources)
    ? (draft.sources as { id?: string }[]).map((s) => String(s.id))
    : [];

  useEffect(() => {
    const timer = setTimeout(async () => {
      const response = await fetch('/api/templates/check', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          definition: draft,
          samples: samples.map(({ source, raw }) => ({ source, raw })),
        }),
      });
      if (response.ok) setCheck((await response.json()) as CheckResponse);
      else setStatus({ ok: false, text: await describeFailure(response, 'Checking the draft') });
    }, 400);
    return () => clearTimeout(timer);
  }, [draft, samples]);

  function editSection(name: string, text: string) {
    setSectionText((s) => ({ ...s, [name]: text }));
    try {
      setDraft((d) => ({ ...d, [name]: JSON.parse(text) as unknown }));
    } catch {
      // Keep typing: the section is applied once it parses; the box shows it is not JSON yet.
    }
  }

  async function publish() {
    setStatus(null);
    const response = await fetch('/api/templates/publish', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ definition: draft }),
    });
    if (!response.ok)
      return setStatus({ ok: false, text: await describeFailure(response, 'Publishing') });
    const { version } = (await response.json()) as { version: number };
    setStatus({
      ok: true,
      text: `Published ${String(draft.id)} version ${version}. The correlator applies it live.`,
    });
  }

  const stepIssues = check ? issuesForStep(check.errors, step) : [];
  return (
    <div
      className="grid-2"
      style={{ gridTemplateColumns: 'minmax(520px, 3fr) minmax(360px, 2fr)' }}
    >
      <div>
        <nav className="row panel" aria-label="Wizard steps">
          {WIZARD_STEPS.map((s, i) => {
            const count = check ? issuesForStep(check.errors, s.id).length : 0;
            return (
              <button
                key={s.id}
                type="button"
                className={s.id === step ? '' : 'secondary'}
                onClick={() => setStep(s.id)}
                aria-current={s.id === step ? 'step' : undefined}
              >
                {i + 1}. {s.title}
                {count > 0 ? ` (${count})` : ''}
              </button>
            );
          })}
        </nav>
        <section className="panel">
          <h2 style={{ marginTop: 0 }}>{stepInfo.title}</h2>
          {step === 'sources' && (
            <>
              <p className="muted">
                Paste sample records, one per line as <code>source_id {'{json}'}</code>. Pick a
                source, then click a value to extract it as a field.
              </p>
              <textarea
                aria-label="Sample records"
                value={sampleText}
                onChange={(e) => setSampleText(e.target.value)}
                rows={5}
                style={{ width: '100%' }}
                className="mono"
              />
              {sampleError && <p className="error">{sampleError}</p>}
              <label>
                Extract into source{' '}
                <select
                  aria-label="Extract into source"
                  value={source}
                  onChange={(e) => setSource(e.target.value)}
                >
                  <option value="">(the sample&apos;s own source)</option>
                  {sourceIds.map((id) => (
                    <option key={id}>{id}</option>
                  ))}
                </select>
              </label>
              {samples.map((sample, i) => (
                <div key={i} className="panel" data-testid="sample">
                  <strong className="mono">{sample.source}</strong>{' '}
                  {sample.parsed === undefined && (
                    <span className="error">not JSON (the preview shows it as a dead letter)</span>
                  )}
                  {samplePaths(sample.parsed).map((p) => (
                    <button
                      key={p.path}
                      type="button"
                      className="secondary mono"
                      style={{ margin: 2, fontSize: '0.8rem' }}
                      title={`extract ${p.path} as ${p.type}`}
                      onClick={() =>
                        setDraft((d) => addExtractedField(d, source || sample.source, p))
                      }
                    >
                      {p.path}: {JSON.stringify(p.value)}
                    </button>
                  ))}
                </div>
              ))}
            </>
          )}
          {step === 'tree' && (
            <TreeEditor
              draft={draft}
              onChange={(next) => {
                setDraft(next);
                setSectionText(({ tree: _edited, ...rest }) => rest);
              }}
            />
          )}
          {stepInfo.sections
            .filter((name) => step !== 'publish' || ['id', 'name', 'description'].includes(name))
            .map((name) => (
              <label key={name} style={{ display: 'block', marginTop: '0.5rem' }}>
                <span className="mono">{name}</span>
                <textarea
                  aria-label={`Section ${name}`}
                  className="mono"
                  rows={name === 'id' || name === 'name' || name === 'description' ? 1 : 12}
                  style={{ width: '100%' }}
                  value={sectionText[name] ?? JSON.stringify(draft[name] ?? null, null, 2)}
                  onChange={(e) => editSection(name, e.target.value)}
                  onBlur={() =>
                    setSectionText((s) => ({
                      ...s,
                      [name]: JSON.stringify(draft[name] ?? null, null, 2),
                    }))
                  }
                />
              </label>
            ))}
          {stepIssues.length > 0 ? (
            <ul className="error" data-testid="step-issues">
              {stepIssues.map((issue) => (
                <li key={`${issue.path}:${issue.code}`}>
                  <code>{issue.path}</code>: {issue.message}
                </li>
              ))}
            </ul>
          ) : (
            check && <p className="muted">No problems in this step.</p>
          )}
          {step === 'publish' && (
            <>
              <h2>Changes against the published version</h2>
              {check?.diff ? (
                <ul data-testid="diff">
                  {check.diff.changes.length === 0 && <li>No changes.</li>}
                  {check.diff.changes.map((c) => (
                    <li key={c} className="mono">
                      {c}
                    </li>
                  ))}
                  {check.diff.requiresRestart && (
                    <li className="error">
                      Needs a correlator restart (sources or business key changed).
                    </li>
                  )}
                </ul>
              ) : (
                <p className="muted">
                  {check?.ok
                    ? 'Nothing published yet: this will be version 1.'
                    : 'Fix the errors to see the diff.'}
                </p>
              )}
              <button type="button" onClick={publish} disabled={!check?.ok}>
                Publish
              </button>
            </>
          )}
          {status && (
            <p className={status.ok ? 'notice' : 'error'} role="status">
              {status.text}
            </p>
          )}
        </section>
      </div>
      <PreviewPanel check={check} />
    </div>
  );
}
