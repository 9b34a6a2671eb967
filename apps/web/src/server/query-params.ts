import type { z } from 'zod';

/** One problem of an address: the parameter (or path segment) it concerns, and why. */
export interface AddressIssue {
  field: string;
  reason: string;
}

export type AddressCheck<T> = { ok: true; value: T } | { ok: false; issues: AddressIssue[] };

/** A query string as Next hands it to a page, or as the Proxy reads it from the URL. */
export type QueryInput = URLSearchParams | Record<string, string | string[] | undefined>;

/**
 * The query's parameters, one value each. A parameter given twice
 * (`?range=7d&range=30d`) is an issue naming it: which one was meant is
 * anyone's guess, and no link the app builds repeats one.
 *
 * @example singleValues(new URLSearchParams('range=7d&range=30d')) // { ok: false, issues: [{ field: 'range', … }] }
 */
export function singleValues(query: QueryInput): AddressCheck<Record<string, string>> {
  const all = new Map<string, string[]>();
  for (const [name, value] of entriesOf(query)) all.set(name, [...(all.get(name) ?? []), value]);
  const issues: AddressIssue[] = [];
  const values: Record<string, string> = {};
  for (const [name, given] of all) {
    if (given.length === 1) values[name] = given[0] ?? '';
    else
      issues.push({
        field: name,
        reason: `given ${given.length} times (${given.map((v) => JSON.stringify(v)).join(', ')}): give it once`,
      });
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: values };
}

function entriesOf(query: QueryInput): [string, string][] {
  if (query instanceof URLSearchParams) return [...query.entries()];
  return Object.entries(query).flatMap(([name, value]) =>
    value === undefined ? [] : (Array.isArray(value) ? value : [value]).map((v) => [name, v]),
  ) as [string, string][];
}

/** zod's issues as `{ field, reason }` pairs: `field` is the dotted path, or `whole` for the value itself. */
export function fieldIssues(error: z.ZodError, whole: string): AddressIssue[] {
  return error.issues.map((issue) => ({
    field: issue.path.length > 0 ? issue.path.join('.') : whole,
    reason: issue.message,
  }));
}

/** zod's issues as `{ field, reason }` pairs; an issue of the whole object is the `(address)`'s. */
export function addressIssues(error: z.ZodError): AddressIssue[] {
  return fieldIssues(error, '(address)');
}

/**
 * A page's query string checked against its schema: repeated parameters
 * first, then the schema's rules. Pages and the Proxy both call this, so a
 * link the Proxy lets through is one the page accepts.
 *
 * @example parseQuery(DashboardParamsSchema, { range: '2w' }) // { ok: false, issues: [{ field: 'range', reason: 'one of 1h, …' }] }
 */
export function parseQuery<T>(schema: z.ZodType<T>, query: QueryInput): AddressCheck<T> {
  const single = singleValues(query);
  if (!single.ok) return single;
  const parsed = schema.safeParse(single.value);
  return parsed.success
    ? { ok: true, value: parsed.data }
    : { ok: false, issues: addressIssues(parsed.error) };
}
