'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { describeFailure } from '@/lib/fetch-json';

async function post(url: string, body: unknown): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

/** Judge the verdict (right/wrong + note) and merge or keep apart a split session. */
export function SessionActions({
  sessionId,
  hasVerdict,
}: {
  sessionId: string;
  hasVerdict: boolean;
}) {
  const router = useRouter();
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const base = `/api/sessions/${encodeURIComponent(sessionId)}`;

  async function run(what: string, url: string, body: unknown, done: string) {
    setMessage(null);
    const response = await post(url, body);
    if (!response.ok) {
      setMessage({ ok: false, text: await describeFailure(response, what) });
      return;
    }
    setMessage({ ok: true, text: done });
    router.refresh();
  }

  return (
    <div className="panel">
      <h2>Operator actions</h2>
      <form
        className="row"
        onSubmit={(event) => {
          event.preventDefault();
          const form = new FormData(event.currentTarget);
          const correct =
            (event.nativeEvent as SubmitEvent).submitter?.getAttribute('value') === 'right';
          void run(
            'Annotating',
            `${base}/annotate`,
            { correct, note: String(form.get('note') ?? '') },
            'Annotation saved.',
          );
        }}
      >
        <input
          name="note"
          placeholder="Note (optional)"
          aria-label="Annotation note"
          style={{ flex: 1, minWidth: 200 }}
        />
        <button type="submit" value="right" disabled={!hasVerdict}>
          Verdict is right
        </button>
        <button type="submit" value="wrong" className="secondary" disabled={!hasVerdict}>
          Verdict is wrong
        </button>
      </form>
      <form
        className="row"
        style={{ marginTop: '0.75rem' }}
        onSubmit={(event) => {
          event.preventDefault();
          const form = new FormData(event.currentTarget);
          const decision =
            (event.nativeEvent as SubmitEvent).submitter?.getAttribute('value') ?? 'merge';
          const otherSessionId = String(form.get('other') ?? '');
          void run(
            'Merging',
            `${base}/merge`,
            { otherSessionId, decision },
            decision === 'merge' ? 'Sessions merged.' : 'Kept apart; decision recorded.',
          );
        }}
      >
        <input
          name="other"
          placeholder="Other half's session id"
          aria-label="Other session id"
          style={{ flex: 1, minWidth: 200 }}
          className="mono"
        />
        <button type="submit" value="merge">
          Merge into this session
        </button>
        <button type="submit" value="keep" className="secondary">
          Keep apart
        </button>
      </form>
      {message && (
        <p className={message.ok ? 'notice' : 'error'} role="status">
          {message.text}
        </p>
      )}
    </div>
  );
}
