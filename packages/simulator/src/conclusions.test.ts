import { describe, expect, it } from 'vitest';
import { collect, tryParse } from './test-support.js';

type Raw = Record<string, unknown>;

/** An independent reading of docs/scenarios.md §1, over raw lines as a correlator would see them. */
function inAppOracle(records: { source: string; raw: Raw }[]): string | null {
  const count = (source: string) => records.filter((r) => r.source === source).length;
  const paid = records.some((r) => r.source === 'pay_done' && r.raw['status'] === 'SUCCESS');
  if (paid && count('delivery') === 0) return 'paid_not_delivered';
  if (count('delivery') >= 2) return 'double_delivery';
  if (
    records.some((r) => r.source === 'receipt' && (r.raw['receipt'] as Raw)['verify'] === 'failed')
  ) {
    return 'receipt_verify_failed';
  }
  if (count('pay_done') > 0 && count('channel_callback') === 0) return 'callback_missing';
  if (count('pay_page') > 0 && count('pay_done') === 0) return 'abandoned_at_pay_page';
  const all = ['client_order', 'pay_page', 'receipt', 'pay_done', 'channel_callback', 'delivery'];
  return all.every((source) => count(source) === 1) ? 'ok' : null;
}

/** docs/scenarios.md §2. */
function bankOracle(records: { source: string; raw: Raw }[]): string | null {
  const booked = records.some((r) => r.source === 'core_booking');
  const decisions = records
    .filter((r) => r.source === 'aml_screening')
    .map((r) => r.raw['decision']);
  if (decisions.includes('block') && booked) return 'booked_despite_block';
  const amounts = records
    .filter((r) => r.source === 'transfer_request')
    .map((r) => Number((r.raw['amount'] as Raw)['value']));
  if (amounts.some((a) => a >= 9000 && a < 10_000)) return 'structuring_suspected';
  if (booked && !records.some((r) => r.source === 'clearing_ack')) return 'clearing_missing';
  if (decisions.includes('review') && !booked) return 'stuck_in_review';
  return 'ok';
}

const faultConclusion: Record<string, string> = {
  'paid-not-delivered': 'paid_not_delivered',
  'double-delivery': 'double_delivery',
  'receipt-verify-failed': 'receipt_verify_failed',
  'callback-lost': 'callback_missing',
  'abandon-at-pay-page': 'abandoned_at_pay_page',
  'booked-despite-block': 'booked_despite_block',
  structuring: 'structuring_suspected',
  'clearing-lost': 'clearing_missing',
  'stuck-in-review': 'stuck_in_review',
};

describe.each([
  [
    'in-app-purchase',
    inAppOracle,
    'crash-resume=0.05,paid-not-delivered=0.05,double-delivery=0.05',
  ],
  [
    'bank-transfer',
    bankOracle,
    'review-resume=0.05,booked-despite-block=0.05,stuck-in-review=0.05',
  ],
] as const)('true conclusions of %s', (scenario, oracle, faults) => {
  const run = collect({ scenario, orders: 4000, seed: 21, faults });
  const recordsById = new Map<string, { source: string; raw: Raw }>();
  for (const [source, lines] of run.lines) {
    for (const line of lines) {
      const raw = tryParse(line);
      if (raw !== null)
        recordsById.set((raw['_sim'] as { record: string }).record, { source, raw });
    }
  }

  it('agree with an independent reading of the records of every expected session', () => {
    let checked = 0;
    for (const entry of run.truth) {
      for (const part of entry.expected) {
        const records = part.records
          .map((id) => recordsById.get(id))
          .filter((r) => r !== undefined);
        expect(oracle(records), `${part.id}`).toBe(part.conclusion);
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(4000);
  });

  it('follow the injected outcome fault (or structuring amounts drawn by chance)', () => {
    for (const entry of run.truth.filter((t) => t.kind === 'session')) {
      const outcome = entry.faults.find((f) => faultConclusion[f] !== undefined);
      const expected = outcome === undefined ? 'ok' : faultConclusion[outcome];
      const allowed = [expected, 'structuring_suspected'];
      expect(allowed, `${entry.session} ${entry.faults.join(',')}`).toContain(entry.conclusion);
      if (scenario === 'in-app-purchase') expect(entry.conclusion).toBe(expected);
    }
  });
});
