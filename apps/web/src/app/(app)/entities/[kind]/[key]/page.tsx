import Link from 'next/link';
import { notFound } from 'next/navigation';
import { Suspense } from 'react';
import { MalformedLink } from '@/components/malformed-link';
import { can } from '@/features/admin';
import type { RoleName } from '@/features/admin';
import { EntityGraph, entityHref, FeatureCharts } from '@/features/entities';
import { EntitySkeleton } from '@/features/entities/components/entity-skeleton';
import { HISTORY_RANGES, parseEntityParams } from '@/features/entities/server/entity-params';
import type { EntityParams } from '@/features/entities/server/entity-params';
import { findEntity, loadEntity } from '@/features/entities/server/load-entity';
import type { FoundEntity } from '@/features/entities/server/load-entity';
import { ResultsTable } from '@/features/search';
import { requirePage } from '@/server/guard';
import { malformedAddress } from '@/server/page-address';
import { getStore, isStorageValidationError } from '@/server/store';
import type { Store } from '@/server/store';
import { markStoreUnreachable } from '@/server/unavailable';

export const dynamic = 'force-dynamic';

type Read<T> = { ok: true; value: T } | { ok: false; message: string };

/** A store read; the store's bad-input errors become the page's "malformed" message. */
async function read<T>(run: (store: Store) => Promise<T>): Promise<Read<T>> {
  try {
    return { ok: true, value: await run(await getStore()) };
  } catch (error) {
    if (isStorageValidationError(error)) return { ok: false, message: error.message };
    throw markStoreUnreachable(error);
  }
}

function Malformed({ message }: { message: string }) {
  return (
    <p className="error" role="alert" data-testid="bad-params">
      This entity link is malformed: {message}
    </p>
  );
}

/**
 * Decides whether the entity exists before anything streams, so an unknown
 * template, kind or key answers 404 (the status is fixed by the first bytes
 * sent); its charts, graph and sessions stream in behind the skeleton. No
 * loading.tsx: its boundary would wrap this check and start the response first.
 */
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
        <MalformedLink address={malformedAddress('entities', parsed.issues)} />
      </>
    );
  }
  const query = parsed.value;
  const found = await read((store) => findEntity(store, query));
  if (!found.ok) return <Malformed message={found.message} />;
  if (!found.value) notFound();
  const { templateId, kind, key } = found.value;
  return (
    <>
      <p className="muted">
        <Link href="/search">← Search</Link> · template {templateId}
      </p>
      <h1>
        {kind.label} <span className="mono">{key}</span>
      </h1>
      <Suspense fallback={<EntitySkeleton />}>
        <EntityView entity={found.value} query={query} role={viewer.role} />
      </Suspense>
    </>
  );
}

async function EntityView({
  entity,
  query,
  role,
}: {
  entity: FoundEntity;
  query: EntityParams;
  role: RoleName | null;
}) {
  const loaded = await read((store) => loadEntity(store, entity, query, Date.now()));
  if (!loaded.ok) return <Malformed message={loaded.message} />;
  const { kind, key, sessions, graph, charts, templateId, historyCut } = loaded.value;
  const base = entityHref(templateId, kind.id, key);
  return (
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
          {historyCut ? ' (the newest 500 sessions)' : ''}.
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
            Nothing is linked to this entity yet (entities are linked when they appear in the same
            session, if the template keeps an identity graph).
          </p>
        ) : (
          <EntityGraph view={graph} />
        )}
      </div>
      <div className="panel">
        <h2 style={{ marginTop: 0 }}>Sessions</h2>
        {!can(role, { resource: 'businessSession', action: 'read' }) ? (
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
    </>
  );
}
