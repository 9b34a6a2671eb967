import Link from 'next/link';
import { can } from '@/features/admin';
import { EntityGraph, entityHref, FeatureCharts } from '@/features/entities';
import { HISTORY_RANGES, parseEntityParams } from '@/features/entities/server/entity-params';
import type { EntityParams } from '@/features/entities/server/entity-params';
import { loadEntity } from '@/features/entities/server/load-entity';
import type { EntityPageData } from '@/features/entities/server/load-entity';
import { ResultsTable } from '@/features/search';
import { requirePage } from '@/server/guard';
import { getStore, isStorageValidationError } from '@/server/store';
import { markStoreUnreachable } from '@/server/unavailable';

export const dynamic = 'force-dynamic';

type Loaded = { ok: true; data: EntityPageData } | { ok: false; message: string };

async function load(params: EntityParams): Promise<Loaded> {
  try {
    return { ok: true, data: await loadEntity(await getStore(), params, Date.now()) };
  } catch (error) {
    if (isStorageValidationError(error)) return { ok: false, message: error.message };
    throw markStoreUnreachable(error);
  }
}

export default async function EntityPage({
  params,
  searchParams,
}: {
  params: Promise<{ kind: string; key: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const viewer = await requirePage({ resource: 'entity', action: 'read' });
  const parsed = parseEntityParams(await params, await searchParams);
  if (!parsed.ok) {
    return (
      <>
        <h1>Entity</h1>
        <div className="error" role="alert" data-testid="bad-params">
          <p>This entity link is malformed (400):</p>
          <ul>
            {parsed.issues.map((issue) => (
              <li key={issue.field}>
                <code>{issue.field}</code>: {issue.reason}
              </li>
            ))}
          </ul>
          <p>
            Open entities from a session&apos;s fields or look one up in{' '}
            <Link href="/search">Order search</Link>.
          </p>
        </div>
      </>
    );
  }
  const query = parsed.params;
  const loaded = await load(query);
  if (!loaded.ok) {
    return (
      <p className="error" role="alert" data-testid="bad-params">
        This entity link is malformed (400): {loaded.message}
      </p>
    );
  }
  const { data } = loaded;
  if (data.status === 'unknown-template') {
    return (
      <div className="notice" data-testid="entity-empty">
        <h1>No template {data.templateId}</h1>
        <p>
          The store has no template <code>{data.templateId}</code>. Stored templates:{' '}
          {data.templates.length === 0 ? 'none yet' : data.templates.join(', ')}.
        </p>
      </div>
    );
  }
  if (data.status === 'unknown-kind') {
    return (
      <div className="notice" data-testid="entity-empty">
        <h1>No entity kind {data.kind}</h1>
        <p>
          Template <code>{data.templateId}</code> declares{' '}
          {data.kinds.length === 0
            ? 'no entities (its definition has no entities section).'
            : `these entity kinds: ${data.kinds.map((k) => `${k.id} (field ${k.field})`).join(', ')}.`}
        </p>
      </div>
    );
  }
  const { kind, key, sessions, graph, charts } = data;
  const base = entityHref(data.templateId, kind.id, key);
  const empty = sessions.rows.length === 0 && !query.cursor && graph.links.length === 0;
  return (
    <>
      <p className="muted">
        <Link href="/search">← Search</Link> · template {data.templateId}
      </p>
      <h1>
        {kind.label} <span className="mono">{key}</span>
      </h1>
      {empty ? (
        <div className="notice" data-testid="entity-empty">
          No session of <code>{data.templateId}</code> names {kind.label.toLowerCase()}{' '}
          <code>{key}</code> (field <code>{kind.field}</code>), and nothing is linked to it. Entity
          keys match exactly: check the value, or{' '}
          <Link href={`/search?q=${encodeURIComponent(key)}`}>search it in every field</Link>. Very
          recent sessions appear once the correlator has seen them.
        </div>
      ) : (
        <>
          <div className="panel">
            <div className="row" style={{ justifyContent: 'space-between' }}>
              <h2 style={{ margin: 0 }}>Features over time</h2>
              <span className="row">
                {Object.keys(HISTORY_RANGES).map((range) => (
                  <Link
                    key={range}
                    href={`${base}&range=${range}&depth=${query.depth}`}
                    aria-current={range === query.range ? 'page' : undefined}
                  >
                    {range}
                  </Link>
                ))}
              </span>
            </div>
            <p className="muted">
              The values the verdicts of its sessions used (session fields{' '}
              <code>entity.{kind.id}.*</code>), per session, over the last {query.range}
              {data.historyCut ? ' (the newest 500 sessions)' : ''}.
            </p>
            {charts.length === 0 ? (
              <p className="muted">The template declares no features for {kind.label}.</p>
            ) : (
              <FeatureCharts charts={charts} />
            )}
          </div>
          <div className="panel">
            <div className="row" style={{ justifyContent: 'space-between' }}>
              <h2 style={{ margin: 0 }}>Linked entities</h2>
              <span className="row">
                {[1, 2, 3].map((depth) => (
                  <Link
                    key={depth}
                    href={`${base}&range=${query.range}&depth=${depth}`}
                    aria-current={depth === query.depth ? 'page' : undefined}
                  >
                    {depth} hop{depth > 1 ? 's' : ''}
                  </Link>
                ))}
              </span>
            </div>
            {graph.links.length === 0 ? (
              <p className="muted">
                Nothing is linked to this entity yet (entities are linked when they appear in the
                same session, if the template keeps an identity graph).
              </p>
            ) : (
              <EntityGraph view={graph} />
            )}
          </div>
        </>
      )}
      {!empty && (
        <div className="panel">
          <h2 style={{ marginTop: 0 }}>Sessions</h2>
          {!can(viewer.role, { resource: 'businessSession', action: 'read' }) ? (
            <p className="muted">
              {sessions.rows.length}
              {sessions.nextCursor ? '+' : ''} session(s). Opening sessions needs an operator or
              analyst account.
            </p>
          ) : sessions.rows.length === 0 ? (
            <p className="muted">No more sessions.</p>
          ) : (
            <ResultsTable rows={sessions.rows} />
          )}
          {sessions.nextCursor && (
            <p>
              <Link
                href={`${base}&range=${query.range}&depth=${query.depth}&cursor=${encodeURIComponent(sessions.nextCursor)}`}
              >
                Next page →
              </Link>
            </p>
          )}
        </div>
      )}
    </>
  );
}
