import Link from 'next/link';
import { notFound } from 'next/navigation';
import { Suspense } from 'react';
import type { Session } from '@weft/templates';
import { SeverityBadge } from '@/components/severity-badge';
import { can } from '@/features/admin';
import type { RoleName } from '@/features/admin';
import { entityFieldKinds, entityHref } from '@/features/entities';
import { BehaviorTree, formatGap, relatedLinks } from '@/features/session';
import { FieldTable } from '@/features/session/components/field-table';
import { SessionActions } from '@/features/session/components/session-actions';
import { SessionSkeleton } from '@/features/session/components/session-skeleton';
import { loadSessionView } from '@/features/session/server/load-session';
import { requirePage } from '@/server/guard';
import { getStore } from '@/server/store';
import { markStoreUnreachable } from '@/server/unavailable';

export const dynamic = 'force-dynamic';

/**
 * Decides whether the session exists before anything streams, so an unknown
 * id answers 404 (the status is fixed by the first bytes sent); the rest of
 * the page streams in behind its skeleton. No loading.tsx: its boundary
 * would wrap this check and start the response first.
 */
export default async function SessionPage({ params }: { params: Promise<{ id: string }> }) {
  const viewer = await requirePage({ resource: 'businessSession', action: 'read' });
  const { id } = await params;
  const session = await storedSession(decodeURIComponent(id));
  if (!session) notFound();
  return (
    <Suspense fallback={<SessionSkeleton />}>
      <SessionView session={session} role={viewer.role} />
    </Suspense>
  );
}

async function storedSession(sessionId: string): Promise<Session | undefined> {
  try {
    return await (await getStore()).sessions.get(sessionId);
  } catch (error) {
    throw markStoreUnreachable(error);
  }
}

async function SessionView({ session: stored, role }: { session: Session; role: RoleName | null }) {
  const { session, tree, template, actions } = await loadSessionView(await getStore(), stored);
  const related = relatedLinks(session.fields, template?.baseline.key ?? '');
  const links = {
    templateId: session.templateId,
    entityFields: template ? entityFieldKinds(template) : {},
  };
  const entities = Object.entries(links.entityFields).flatMap(([field, kind]) => {
    const value = session.fields[field];
    return typeof value === 'string' || typeof value === 'number'
      ? [{ kind, key: String(value), href: entityHref(session.templateId, kind, String(value)) }]
      : [];
  });
  return (
    <>
      <p className="muted">
        <Link href={`/search?q=${encodeURIComponent(session.businessKey)}`}>← Search</Link>
      </p>
      <h1>
        <span className="mono">{session.businessKey}</span>{' '}
        <SeverityBadge
          severity={tree.verdict?.severity ?? null}
          label={tree.verdict?.label ?? null}
        />
      </h1>
      {session.mergedInto && (
        <p className="notice">
          This session was merged into{' '}
          <Link href={`/sessions/${encodeURIComponent(session.mergedInto)}`}>
            {session.mergedInto}
          </Link>
          .
        </p>
      )}
      {!template && (
        <p className="notice">
          Template {session.templateId} v{session.templateVersion} is not in the store: the tree
          follows the stored node order, without labels or expected steps.
        </p>
      )}
      <div className="panel" data-testid="verdict">
        <h2 style={{ marginTop: 0 }}>Verdict: {tree.verdict ? tree.verdict.label : 'none'}</h2>
        <p>
          {tree.verdict ? tree.verdict.explanation : 'No conclusion model held for this session.'}
        </p>
        {tree.verdict && tree.verdict.inputs.length > 0 && (
          <p className="muted">
            Based on:{' '}
            {tree.verdict.inputs.map(([name, value]) => (
              <code key={name} style={{ marginRight: '0.75rem' }}>
                {name}={String(value)}
              </code>
            ))}
          </p>
        )}
        {tree.otherVerdicts.length > 0 && (
          <p className="muted">Also held: {tree.otherVerdicts.map((v) => v.label).join(', ')}</p>
        )}
        <p className="muted">
          {session.templateId} v{session.templateVersion} · session {session.sessionId} · version{' '}
          {session.version} · {session.status} ({session.fireReason}) · spans{' '}
          {formatGap(tree.durationMs)}
        </p>
        {tree.problems.length > 0 && (
          <ul data-testid="problems">
            {tree.problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        )}
      </div>
      <div className="panel">
        <h2 style={{ marginTop: 0 }}>Behavior tree</h2>
        <p className="muted">
          Click a node, or pick a step in the list, to see its raw records and fields.
        </p>
        <BehaviorTree view={tree} links={links} />
      </div>
      <div className="grid-2">
        <div className="panel">
          <h2 style={{ marginTop: 0 }}>Key fields</h2>
          <FieldTable fields={tree.keyFields} empty="No fields were extracted." links={links} />
        </div>
        <div className="panel">
          <h2 style={{ marginTop: 0 }}>Secondary indicators</h2>
          <FieldTable
            fields={tree.derivedFields}
            empty="The template derives no fields."
            links={links}
          />
          {entities.length > 0 && (
            <>
              <h2>Entities</h2>
              <ul data-testid="session-entities">
                {entities.map((entity) => (
                  <li key={entity.kind}>
                    <Link href={entity.href}>
                      {entity.kind} <code>{entity.key}</code>
                    </Link>{' '}
                    <span className="muted">features over time, linked entities, sessions</span>
                  </li>
                ))}
              </ul>
            </>
          )}
          <h2>Related sessions</h2>
          {related.length === 0 ? (
            <p className="muted">
              No shared identity fields (user, device, trans_id…) on this session.
            </p>
          ) : (
            <ul>
              {related.map((link) => (
                <li key={link.field}>
                  <Link href={`/search?q=${encodeURIComponent(link.query)}`}>
                    same {link.field} <code>{link.value}</code>
                  </Link>
                </li>
              ))}
            </ul>
          )}
        </div>
      </div>
      {can(role, { resource: 'businessSession', action: 'act' }) && (
        <SessionActions sessionId={session.sessionId} hasVerdict={tree.verdict !== null} />
      )}
      <div className="panel">
        <h2 style={{ marginTop: 0 }}>History</h2>
        {actions.length === 0 ? (
          <p className="muted">No operator has acted on this session yet.</p>
        ) : (
          <table>
            <tbody>
              {actions.map((a) => (
                <tr key={a.id}>
                  <td className="mono">
                    {new Date(a.at).toISOString().replace('T', ' ').slice(0, 19)}
                  </td>
                  <td>{a.action}</td>
                  <td>{a.actor}</td>
                  <td className="mono">{JSON.stringify(a.payload)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </>
  );
}
