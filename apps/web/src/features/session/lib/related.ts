import type { FieldValue } from '@weft/templates';

/**
 * Which of a session's fields lead to related sessions: identities shared
 * across purchases (user, role, account, device, ip, customer) and the
 * payment-side ids (trans_id, ledger_ref). Assumes flat session fields; the
 * business key itself is excluded (it finds the same session).
 */
const RELATED_FIELD = /(user|role|account|device|customer|trans|ledger|ip$|iban|beneficiary)/i;

export interface RelatedLink {
  field: string;
  value: string;
  /** The search that lists the sessions sharing this value. */
  query: string;
}

export function relatedLinks(
  fields: Record<string, FieldValue>,
  businessKeyField: string,
): RelatedLink[] {
  return Object.entries(fields)
    .filter(
      ([name, value]) =>
        name !== businessKeyField &&
        RELATED_FIELD.test(name) &&
        (typeof value === 'string' || typeof value === 'number') &&
        value !== '',
    )
    .map(([field, value]) => ({ field, value: String(value), query: `${field}=${String(value)}` }))
    .sort((a, b) => a.field.localeCompare(b.field));
}
