import type { Permission } from '@/features/admin';
import { DashboardParamsSchema } from '@/features/dashboards/server/dashboard-params';
import { parseEntityParams } from '@/features/entities/server/entity-params';
import { SearchParamsSchema } from '@/features/search/server/search-params';
import { parseQuery } from './query-params';
import type { AddressIssue } from './query-params';

/**
 * The address checks the Proxy runs before a page, to answer a malformed
 * link with 400 (a page's status is fixed before it renders, and the App
 * Router has no way to send 400 from a page). Only syntax is checked here,
 * with the pages' own parsers; whether a template, kind or key exists is the
 * page's question (404). Each page checks again what Next hands it.
 */

/** A malformed page address: what the page is, what is wrong, and where to go instead. */
export interface MalformedAddress {
  /** "search link", "dashboard link", … */
  what: string;
  issues: AddressIssue[];
  /** The permission the page asks for: the Proxy answers 400 only to those who may open it. */
  permission: Permission;
  help: { text: string; href: string; label: string };
}

type PageCheck = Omit<MalformedAddress, 'issues'> & {
  /** The page's segments after its first one (`['device', 'D7']` for `/entities/device/D7`). */
  arity: number;
  check: (segments: string[], query: URLSearchParams) => AddressIssue[];
};

const issuesOf = (check: { ok: true } | { ok: false; issues: AddressIssue[] }) =>
  check.ok ? [] : check.issues;

const PAGE_CHECKS = {
  search: {
    what: 'search link',
    arity: 0,
    permission: { resource: 'businessSession', action: 'read' },
    check: (_, query) => issuesOf(parseQuery(SearchParamsSchema, query)),
    help: {
      text: 'Search for an order id or a field value from the search page.',
      href: '/search',
      label: 'Open Order search',
    },
  },
  dashboards: {
    what: 'dashboard link',
    arity: 0,
    permission: { resource: 'dashboard', action: 'read' },
    check: (_, query) => issuesOf(parseQuery(DashboardParamsSchema, query)),
    help: {
      text: 'Pick the template, range and drill-down on the dashboard page itself.',
      href: '/dashboards',
      label: 'Open the default dashboard',
    },
  },
  entities: {
    what: 'entity link',
    arity: 2,
    permission: { resource: 'entity', action: 'read' },
    check: ([kind = '', key = ''], query) => issuesOf(parseEntityParams({ kind, key }, query)),
    help: {
      text: "Open entities from a session's fields, or look one up in Order search (device=D7).",
      href: '/search',
      label: 'Open Order search',
    },
  },
} satisfies Record<string, PageCheck>;

export type CheckedPage = keyof typeof PAGE_CHECKS;

/**
 * What a page shows for its malformed address (the same as the Proxy's 400 page).
 *
 * @example malformedAddress('dashboards', issues).help.href // '/dashboards'
 */
export function malformedAddress(
  page: CheckedPage,
  issues: AddressIssue[],
): Pick<MalformedAddress, 'what' | 'issues' | 'help'> {
  const { what, help } = PAGE_CHECKS[page];
  return { what, issues, help };
}

/**
 * The problems of a page address, or null when it is well-formed or not one
 * of the checked pages. `pathname` is raw (still percent-encoded).
 *
 * @example checkPageAddress('/dashboards', new URLSearchParams('range=2w'))?.issues // [{ field: 'range', reason: 'one of 1h, 24h, 7d, 30d, 90d' }]
 */
export function checkPageAddress(
  pathname: string,
  query: URLSearchParams,
): MalformedAddress | null {
  const [first = '', ...rest] = pathname.split('/').filter((s) => s !== '');
  const page: PageCheck | undefined = Object.hasOwn(PAGE_CHECKS, first)
    ? PAGE_CHECKS[first as CheckedPage]
    : undefined;
  if (!page || rest.length !== page.arity) return null;
  const issues = page.check(rest, query);
  if (issues.length === 0) return null;
  const { what, permission, help } = page;
  return { what, permission, help, issues };
}

/**
 * The first path segment that is not valid percent-encoding (`%ZZ`, a cut
 * `%E0%A4%A`, a lone `%`) as an issue naming it, or null. Next cannot route
 * such a path: matching it against a dynamic route throws, and `next start`
 * answers 500 (vercel/next.js#92527), so the Proxy answers 400 first.
 *
 * @example undecodableSegment('/sessions/%E0%A4%A') // { field: 'path segment 2', reason: '"%E0%A4%A" is not valid percent-encoding: …' }
 */
export function undecodableSegment(pathname: string): AddressIssue | null {
  // Split keeps the empty segment before the leading "/": segment n is at index n.
  for (const [index, segment] of pathname.split('/').entries()) {
    try {
      decodeURIComponent(segment);
    } catch {
      return {
        field: `path segment ${index}`,
        reason: `"${segment}" is not valid percent-encoding: each "%" must start an escape of two hex digits that spell UTF-8 (a literal "%" is written %25)`,
      };
    }
  }
  return null;
}

/** Where the 400 page for an undecodable path sends the reader. */
export const UNDECODABLE_PATH_HELP: MalformedAddress['help'] = {
  text: 'Open the page from Weft itself, or copy the link again in full.',
  href: '/',
  label: 'Open Weft',
};
