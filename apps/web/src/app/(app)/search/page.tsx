import Link from 'next/link';
import { findEntities } from '@/features/entities/server/find-entities';
import type { EntityMatch } from '@/features/entities/server/find-entities';
import { ResultsTable } from '@/features/search/components/results-table';
import { MalformedLink } from '@/components/malformed-link';
import { SearchBox } from '@/features/search/components/search-box';
import { SearchParamsSchema } from '@/features/search/server/search-params';
import { searchSessions } from '@/features/search/server/search-sessions';
import type { SearchResult } from '@/features/search';
import { requirePage } from '@/server/guard';
import { malformedAddress } from '@/server/page-address';
import { parseQuery } from '@/server/query-params';
import { getStore, isStorageValidationError } from '@/server/store';

export const dynamic = 'force-dynamic';

type Outcome =
  { ok: true; result: SearchResult; entities: EntityMatch[] } | { ok: false; message: string };

async function run(params: { q: string; cursor?: string; limit: number }): Promise<Outcome> {
  try {
    const store = await getStore();
    const result = await searchSessions(store, params);
    // An order id found as a business key names no entity: spare the lookups.
    const byKey = result.rows.some((row) => row.matchedField === null);
    const entities = params.cursor || byKey ? [] : await findEntities(store, params.q);
    return { ok: true, result, entities };
  } catch (error) {
    if (isStorageValidationError(error)) return { ok: false, message: error.message };
    console.error('[weft-web] search failed:', error);
    return {
      ok: false,
      message:
        'The session store did not answer. Check that WEFT_DB points at a reachable database.',
    };
  }
}

export default async function SearchPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requirePage({ resource: 'businessSession', action: 'read' });
  const parsed = parseQuery(SearchParamsSchema, await searchParams);
  const params = parsed.ok ? parsed.value : { q: '', limit: 50, cursor: undefined };
  const outcome = params.q ? await run(params) : null;
  const csvHref = `/api/sessions/search?q=${encodeURIComponent(params.q)}&format=csv`;
  return (
    <>
      <h1>Order search</h1>
      <div className="panel">
        <SearchBox initial={params.q} />
      </div>
      {!parsed.ok && <MalformedLink address={malformedAddress('search', parsed.issues)} />}
      {outcome === null && (
        <p className="muted">
          Paste an order id from a complaint, or search any field: <code>trans_id=T…</code>,{' '}
          <code>device_id=D…</code>, <code>role_id=R…</code>, <code>amount_cents&gt;=600</code>. An
          entity value (an account, a device, an IP, or <code>device=D…</code>) also offers its
          entity page.
        </p>
      )}
      {outcome?.ok && outcome.entities.length > 0 && (
        <div className="panel" data-testid="entity-matches">
          <strong>Entities:</strong>{' '}
          {outcome.entities.map((entity, i) => (
            <span key={entity.href}>
              {i > 0 && ' · '}
              <Link href={entity.href}>
                {entity.kindLabel} <code>{entity.key}</code>
              </Link>{' '}
              <span className="muted">({entity.templateId})</span>
            </span>
          ))}
        </div>
      )}
      {outcome && !outcome.ok && (
        <p className="error" role="alert">
          Search failed: {outcome.message}
        </p>
      )}
      {outcome?.ok && outcome.result.rows.length === 0 && outcome.entities.length === 0 && (
        <div className="notice" data-testid="no-results">
          No session matches <strong>{outcome.result.understoodAs}</strong>. Try the order id
          without spaces, a different field (<code>trans_id=…</code>, <code>device_id=…</code>), or
          a prefix (<code>order_id=O17*</code>). Very recent orders appear once the correlator has
          seen them.
        </div>
      )}
      {outcome?.ok && outcome.result.rows.length > 0 && (
        <div className="panel">
          <div className="row" style={{ justifyContent: 'space-between' }}>
            <span className="muted">
              {outcome.result.rows.length} session(s) for {outcome.result.understoodAs}
            </span>
            <a href={csvHref}>Export CSV</a>
          </div>
          <ResultsTable rows={outcome.result.rows} />
          {outcome.result.nextCursor && (
            <p>
              <Link
                href={`/search?q=${encodeURIComponent(params.q)}&cursor=${encodeURIComponent(outcome.result.nextCursor)}`}
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
