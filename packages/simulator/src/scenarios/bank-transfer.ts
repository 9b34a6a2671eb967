import { clamp, weighted } from '../distributions.js';
import { genericFaultSpecs } from '../generic-faults.js';
import type { FaultSpec, RecordDraft, Scenario, SessionContext, Verdict } from '../model.js';
import { encodeTime, formatCents } from '../model.js';
import type { Rng } from '../prng.js';
import type { BankWorld, Customer } from './bank-world.js';
import { buildBankWorld, customerKyc } from './bank-world.js';
import { permutedId } from './ids.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
/** The screening engine's clock runs this far behind on the skewed share of sessions. */
const SCREENING_SKEW_MS = -45 * SECOND;

export const BANK_FAULTS = {
  bookedDespiteBlock: 'booked-despite-block',
  structuring: 'structuring',
  clearingLost: 'clearing-lost',
  stuckInReview: 'stuck-in-review',
  orphan: 'orphan-ack',
  reviewResume: 'review-resume',
  clockSkew: 'clock-skew',
} as const;

const faults: readonly FaultSpec[] = [
  {
    name: BANK_FAULTS.bookedDespiteBlock,
    kind: 'outcome',
    defaultRate: 0.003,
    per: 'transfer',
    description:
      'Screening says `block`, core banking books anyway. Truth: `booked_despite_block`.',
  },
  {
    name: BANK_FAULTS.structuring,
    kind: 'outcome',
    defaultRate: 0.01,
    per: 'transfer',
    description:
      'The amount is drawn in [9,000, 10,000) EUR, just under the reporting threshold. Truth: `structuring_suspected` (ordinary amounts can land there too and get the same truth).',
  },
  {
    name: BANK_FAULTS.clearingLost,
    kind: 'outcome',
    defaultRate: 0.01,
    per: 'transfer',
    description: 'Booked, but the clearing network never acknowledges. Truth: `clearing_missing`.',
  },
  {
    name: BANK_FAULTS.stuckInReview,
    kind: 'outcome',
    defaultRate: 0.01,
    per: 'transfer',
    description: 'Screening says `review` and nobody books. Truth: `stuck_in_review`.',
  },
  {
    name: BANK_FAULTS.orphan,
    kind: 'shape',
    defaultRate: 0.002,
    per: 'transfer (an extra record)',
    description:
      'An extra `clearing_ack` whose `ledger_ref` (prefix `L9`) belongs to no booking. Truth: an orphan entry.',
  },
  {
    name: BANK_FAULTS.reviewResume,
    kind: 'shape',
    defaultRate: 0.005,
    per: 'transfer that is booked without a block',
    description:
      'Screening says `review`; a person approves 12–30 min later (beyond the 10 min gap) and the booking follows. Truth: flagged `split`, two expected sessions, the first `stuck_in_review` (or `structuring_suspected`).',
  },
  {
    name: BANK_FAULTS.clockSkew,
    kind: 'shape',
    defaultRate: 0.1,
    per: 'transfer (share screened by the skewed engine)',
    description:
      'The `aml_screening` clock runs 45 s behind: the logged `ts` precedes the request. Truth unchanged.',
  },
  ...genericFaultSpecs,
];

const beneficiaryCountry = weighted({ home: 70, DE: 8, FR: 6, NL: 5, GB: 5, CH: 3, US: 3 });
const NON_SEPA = new Set(['GB', 'CH', 'US']);
const hitsOf = weighted({ none: 90, pep: 4, adverse_media: 4, sanctions: 2 });

function wait(rng: Rng, medianMs: number, sigma: number, minMs: number, maxMs: number): number {
  return Math.round(clamp(rng.logNormal(medianMs, sigma), minMs, maxMs));
}

function amountCents(rng: Rng, customer: Customer, structuring: boolean): number {
  if (structuring) return rng.int(900_000, 1_000_000);
  const median =
    customer.segment === 'business' ? 400_000 : customer.segment === 'private' ? 1_500_000 : 35_000;
  return Math.round(clamp(rng.logNormal(median, 1.2), 100, 25_000_000));
}

function screening(rng: Rng, decision: 'pass' | 'review' | 'block') {
  const score =
    decision === 'pass'
      ? rng.int(0, 50)
      : decision === 'review'
        ? rng.int(50, 80)
        : rng.int(80, 100);
  const hit = hitsOf(rng);
  const hits = decision === 'pass' || hit === 'none' ? [] : [hit];
  return { score, hits, decision };
}

function decide(rng: Rng, outcome: string | null, resume: boolean): 'pass' | 'review' | 'block' {
  if (outcome === BANK_FAULTS.bookedDespiteBlock) return 'block';
  if (outcome === BANK_FAULTS.stuckInReview || resume) return 'review';
  return rng.chance(0.03) ? 'review' : 'pass';
}

function record(
  source: string,
  at: number,
  delay: number,
  key: string,
  body: Record<string, unknown>,
  part = 0,
  skewed = false,
): RecordDraft {
  return { source, eventTime: at, delay, key, body, part, skewed };
}

function session(context: SessionContext<BankWorld>) {
  const { rng, outcome, shapes, start, index } = context;
  const customer = context.world.pickCustomer(rng);
  const transferId = `TR${permutedId(index, 11, 5_772_156_649)}`;
  const ledgerRef = `L${String(1 + (index % 8))}${permutedId(index, 12, 6_931_471_805)}`;
  const country = beneficiaryCountry(rng);
  const beneficiary = country === 'home' ? customer.country : country;
  const applied: string[] = outcome === null ? [] : [outcome];
  const canResume =
    outcome === null || outcome === BANK_FAULTS.structuring || outcome === BANK_FAULTS.clearingLost;
  const split = shapes.has(BANK_FAULTS.reviewResume) && canResume;
  if (split) applied.push(BANK_FAULTS.reviewResume);
  const skewed = shapes.has(BANK_FAULTS.clockSkew);
  if (skewed) applied.push(BANK_FAULTS.clockSkew);
  const records: RecordDraft[] = [
    record('transfer_request', start, wait(rng, 500, 0.6, 50, 10 * SECOND), transferId, {
      created_at: encodeTime(start, 'iso'),
      transfer_id: transferId,
      customer: { id: customer.customerId, segment: customer.segment },
      amount: {
        value: formatCents(amountCents(rng, customer, outcome === BANK_FAULTS.structuring)),
        currency: 'EUR',
      },
      beneficiary: {
        iban: `${beneficiary}${rng.digits(2)}${rng.digits(18)}`,
        country: beneficiary,
      },
    }),
  ];
  const screenedAt = start + wait(rng, 800, 0.6, 100, 20 * SECOND);
  const verdict = screening(rng, decide(rng, outcome, split));
  records.push(
    record(
      'aml_screening',
      screenedAt,
      wait(rng, 200, 0.5, 20, 5 * SECOND),
      transferId,
      {
        ts: encodeTime(screenedAt + (skewed ? SCREENING_SKEW_MS : 0), 'epoch_ms'),
        ref: transferId,
        ...verdict,
      },
      0,
      skewed,
    ),
  );
  const booked =
    outcome !== BANK_FAULTS.stuckInReview &&
    (verdict.decision !== 'block' || outcome === BANK_FAULTS.bookedDespiteBlock);
  if (!booked) return { businessKey: transferId, records, faults: applied, split: false };
  const part = split ? 1 : 0;
  const reviewWait = split
    ? rng.int(12 * MINUTE, 30 * MINUTE)
    : verdict.decision === 'review'
      ? wait(rng, 3 * MINUTE, 0.6, 30 * SECOND, 9 * MINUTE)
      : wait(rng, 5 * SECOND, 0.8, 500, 5 * MINUTE);
  const bookedAt = screenedAt + reviewWait;
  records.push(
    record(
      'core_booking',
      bookedAt,
      wait(rng, 1000, 0.6, 100, 20 * SECOND),
      transferId,
      {
        booked: encodeTime(bookedAt, 'epoch_s'),
        transfer_id: transferId,
        ledger_ref: ledgerRef,
        status: 'BOOKED',
      },
      part,
    ),
  );
  if (outcome !== BANK_FAULTS.clearingLost) {
    const ackAt = bookedAt + wait(rng, 8 * MINUTE, 0.9, 20 * SECOND, 110 * MINUTE);
    records.push(
      record(
        'clearing_ack',
        ackAt,
        wait(rng, 2 * SECOND, 0.7, 100, 30 * SECOND),
        ledgerRef,
        {
          ack_time: encodeTime(ackAt, 'iso'),
          ledger_ref: ledgerRef,
          network: NON_SEPA.has(beneficiary) ? 'SWIFT' : 'SEPA',
          result: 'ACCEPTED',
        },
        part,
      ),
    );
  }
  return { businessKey: transferId, records, faults: applied, split };
}

function orphan(context: SessionContext<BankWorld>): RecordDraft {
  const { rng } = context;
  const at = context.start + rng.int(0, 30 * MINUTE);
  const ledgerRef = `L9${permutedId(context.index, 12, 2_236_067_977)}`;
  return record('clearing_ack', at, wait(rng, 2 * SECOND, 0.7, 100, 30 * SECOND), ledgerRef, {
    ack_time: encodeTime(at, 'iso'),
    ledger_ref: ledgerRef,
    network: 'SEPA',
    result: 'ACCEPTED',
  });
}

/** docs/scenarios.md §2 conclusions, first that applies. */
function conclude(records: readonly RecordDraft[]): Verdict {
  const of = (source: string) => records.filter((r) => r.source === source);
  const decisions = of('aml_screening').map((r) => r.body['decision']);
  const booked = of('core_booking').length > 0;
  if (decisions.includes('block') && booked)
    return { conclusion: 'booked_despite_block', severity: 'critical' };
  const amounts = of('transfer_request').map((r) =>
    Number((r.body['amount'] as { value: string }).value),
  );
  if (amounts.some((eur) => eur >= 9000 && eur < 10_000)) {
    return { conclusion: 'structuring_suspected', severity: 'high' };
  }
  if (booked && of('clearing_ack').length === 0)
    return { conclusion: 'clearing_missing', severity: 'medium' };
  if (decisions.includes('review') && !booked)
    return { conclusion: 'stuck_in_review', severity: 'low' };
  return { conclusion: 'ok', severity: 'info' };
}

/** docs/scenarios.md §2: an outgoing bank transfer with AML-style checks. */
export const bankTransfer: Scenario<BankWorld> = {
  id: 'bank-transfer',
  sessionPrefix: 'bt',
  sources: [
    { id: 'transfer_request', timeField: 'created_at', encoding: 'iso' },
    { id: 'aml_screening', timeField: 'ts', encoding: 'epoch_ms' },
    { id: 'core_booking', timeField: 'booked', encoding: 'epoch_s' },
    { id: 'clearing_ack', timeField: 'ack_time', encoding: 'iso' },
  ],
  faults,
  orphanFault: BANK_FAULTS.orphan,
  // Online banking in CET (UTC+1): business hours, a lunch dip, a small evening bump.
  traffic: {
    hourlyWeights: [
      0.1, 0.05, 0.05, 0.05, 0.05, 0.1, 0.3, 0.6, 1, 1.3, 1.4, 1.3, 1, 1.1, 1.3, 1.3, 1.2, 1, 0.7,
      0.6, 0.6, 0.5, 0.3, 0.2,
    ],
    utcOffsetHours: 1,
  },
  buildWorld: buildBankWorld,
  dimensions: (world) => [customerKyc(world)],
  session,
  orphan,
  conclude,
};
