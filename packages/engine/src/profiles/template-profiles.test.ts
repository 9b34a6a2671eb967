import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadTemplate, type Session } from '@weft/templates';
import { describe, expect, it } from 'vitest';
import { entityFeaturesInOrder, profileSpecOf, sessionObservations } from './template-profiles.js';

const require = createRequire(import.meta.url);
const template = loadTemplate(
  JSON.parse(
    readFileSync(require.resolve('@weft/templates/examples/in-app-purchase.json'), 'utf8'),
  ),
);
const T0 = Date.UTC(2026, 10, 24, 12, 0, 0);
const MIN = 60_000;

/** A purchase session: starts at `start`, pays (receipt and pay_done) 30 s later unless `paid` is false. */
function purchase(
  id: string,
  account: string,
  device: string,
  start: number,
  amount: number,
  paid = true,
): Session {
  const record = (eventTime: number) => ({
    recordId: `${id}-${String(eventTime)}`,
    source: 's',
    eventTime,
    raw: {},
    fields: {},
    late: false,
  });
  return {
    sessionId: id,
    templateId: template.id,
    templateVersion: template.version,
    businessKey: id,
    version: 1,
    status: 'closed',
    fireReason: 'final',
    start,
    end: start + 30_000,
    nodes: [
      { node: 'client_order', kind: 'baseline', records: [record(start)] },
      ...(paid
        ? (['receipt', 'pay_done'] as const).map((node) => ({
            node,
            kind: 'baseline' as const,
            records: [{ ...record(start + 30_000), recordId: `${id}-${node}` }],
          }))
        : []),
    ],
    fields: {
      account_id: account,
      device_id: device,
      ip: '10.1.2.3',
      paid_amount: paid ? amount : null,
    },
    verdicts: [],
    verdict: null,
    mergedInto: null,
  };
}

const sessions = [
  purchase('s1', 'A1', 'D1', T0, 6),
  purchase('s2', 'A1', 'D1', T0 + 2 * MIN, 12),
  purchase('s3', 'A1', 'D1', T0 + 4 * MIN, 30),
  purchase('s4', 'A2', 'D1', T0 + 5 * MIN, 6, false),
  purchase('s5', 'A3', 'D1', T0 + 6 * MIN, 6),
];

describe('entity features of a template, point in time', () => {
  it('derives the profile spec from the entities section (windowed features only)', () => {
    const spec = profileSpecOf(template);
    expect(spec?.entities.map((e) => [e.id, e.features.length])).toEqual([
      ['account', 7],
      ['device', 1],
      ['ip', 1],
    ]);
  });

  it('observes an account at its receipt (a payment attempt) and skips sessions without one', () => {
    expect(sessionObservations(template, sessions[0] as Session)).toEqual([
      { kind: 'account', key: 'A1', time: T0 + 30_000 },
      { kind: 'device', key: 'D1', time: T0 },
      { kind: 'ip', key: '10.1.2.3', time: T0 },
    ]);
    expect(sessionObservations(template, sessions[3] as Session).map((o) => o.kind)).toEqual([
      'device',
      'ip',
    ]);
  });

  it('reads only earlier sessions, whatever order the batch holds them in', () => {
    const features = entityFeaturesInOrder(template, [...sessions].reverse());
    expect(features.get('s3')?.['account']).toMatchObject({
      payments_10m: 2,
      payments_1h: 2,
      spend_24h: 18,
      smallest_payment_1h: 6,
      devices_30d: 1,
      last_paid_before_24h: null,
      payments_same_day_last_week: 0,
    });
    expect(features.get('s1')?.['account']).toMatchObject({
      payments_10m: 0,
      smallest_payment_1h: null,
    });
    expect(features.get('s5')?.['device']).toEqual({
      accounts_7d: 2,
      accounts_linked: 2,
      ring_accounts: 2,
    });
    expect(features.get('s4')?.['account']).toBeUndefined();
    expect(entityFeaturesInOrder(template, sessions)).toEqual(features);
  });

  it('forgets identity links older than the retention, at the same step in any run', () => {
    const DAY = 86_400_000;
    const later = [
      purchase('s6', 'A9', 'D1', T0 + 100 * DAY, 6),
      purchase('s7', 'A10', 'D1', T0 + 100 * DAY + MIN, 6),
    ];
    const features = entityFeaturesInOrder(template, [...sessions, ...later]);
    // s6 reads before its link moves the graph 100 days on; then links of 90+ days ago go.
    expect(features.get('s6')?.['device']?.['accounts_linked']).toBe(3);
    expect(features.get('s7')?.['device']?.['accounts_linked']).toBe(1);
  });
});
