'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import type { KeyboardEvent } from 'react';
import { SeverityBadge } from '@/components/severity-badge';
import type { SessionRow } from '../lib/session-row';

/** Search hits; arrow keys move the selection, Enter opens the session. */
export function ResultsTable({ rows }: { rows: SessionRow[] }) {
  const router = useRouter();
  const [selected, setSelected] = useState(0);
  function onKeyDown(event: KeyboardEvent<HTMLTableSectionElement>) {
    if (event.key === 'ArrowDown') setSelected((i) => Math.min(rows.length - 1, i + 1));
    else if (event.key === 'ArrowUp') setSelected((i) => Math.max(0, i - 1));
    else if (event.key === 'Enter' && rows[selected])
      router.push(`/sessions/${encodeURIComponent(rows[selected].sessionId)}`);
    else return;
    event.preventDefault();
  }
  return (
    <table>
      <thead>
        <tr>
          <th>Business key</th>
          <th>Verdict</th>
          <th>Template</th>
          <th>Start (UTC)</th>
          <th>Status</th>
          <th>Matched field</th>
        </tr>
      </thead>
      <tbody tabIndex={0} onKeyDown={onKeyDown} aria-label="Search results" data-testid="results">
        {rows.map((row, i) => (
          <tr
            key={row.sessionId}
            aria-selected={i === selected}
            style={i === selected ? { background: '#eef3fc' } : undefined}
          >
            <td>
              <Link href={`/sessions/${encodeURIComponent(row.sessionId)}`} className="mono">
                {row.businessKey}
              </Link>
            </td>
            <td>
              <SeverityBadge severity={row.severity} label={row.verdictLabel} />
            </td>
            <td>{row.templateId}</td>
            <td className="mono">
              {new Date(row.start).toISOString().replace('T', ' ').slice(0, 19)}
            </td>
            <td>{row.status}</td>
            <td>{row.matchedField ?? '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
