import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDashboards } from '../../src/features/dashboards/server/load-dashboards';
import { DashboardParamsSchema } from '../../src/features/dashboards/server/dashboard-params';
import { searchSessions } from '../../src/features/search/server/search-sessions';
import { isStorageValidationError } from '../../src/server/store';
import { KNOWN_ORDERS, purchaseSession, purchaseTemplate } from '../e2e/seed';
import { backendNames, openTestStore, publishTemplate } from './backends';
import type { TestStore } from './backends';

/**
 * Search values, field names and dashboard dimensions written as SQL reach
 * the real databases through the same feature functions the routes call: each
 * answers results or a validation error (a 400 in the routes), never a
 * database error, and the data stays intact.
 */
const RUNS = Number(process.env.WEFT_PROPERTY_RUNS ?? 200);
const NOW = Date.UTC(2026, 10, 24, 12);

const HOSTILE = [
  "' OR '1'='1",
  "O1'; DROP TABLE sessions; --",
  "order_id=' OR 1=1 --",
  "order_id' OR '1'='1=x",
  '`order_id`=1',
  '"; SELECT sleep(5); --=1',
  "trans_id=%' OR '%'='*",
  'trans_id=_%*',
  'pay_latency_ms>=1 OR 1=1',
  "x\\' UNION SELECT email, 1, 1 FROM auth_user --",
  'channel=\\',
  '__proto__=1',
  'constructor.prototype=1',
  "a'b=c'd",
  'order_id=\u0000',
  `${'x'.repeat(191)}=1`,
  `${'y'.repeat(3000)}`,
];

/** Resolves, or fails with the store's validation error (the routes' 400); anything else is a bug. */
async function answersOrRefuses(work: () => Promise<unknown>): Promise<'answered' | 'refused'> {
  try {
    await work();
    return 'answered';
  } catch (error) {
    if (isStorageValidationError(error)) return 'refused';
    throw error;
  }
}

describe.each(backendNames())('hostile queries on %s', (backend) => {
  let db: TestStore;
  const template = purchaseTemplate();

  beforeAll(async () => {
    db = await openTestStore(backend);
    await publishTemplate(db.store, template);
    await db.store.sessions.upsert([
      purchaseSession(template, KNOWN_ORDERS.ok, NOW - 3_600_000, 'ok', 2),
      purchaseSession(template, KNOWN_ORDERS.hostile, NOW - 7_200_000, 'paid_not_delivered', 4),
    ]);
  });
  afterAll(async () => db?.close());

  it('answers or refuses SQL-looking search input', async () => {
    for (const q of HOSTILE) {
      await expect(
        answersOrRefuses(() => searchSessions(db.store, { q, limit: 20 })),
        q,
      ).resolves.toMatch(/answered|refused/);
    }
    const intact = await searchSessions(db.store, { q: KNOWN_ORDERS.ok, limit: 5 });
    expect(intact.rows.map((r) => r.businessKey)).toEqual([KNOWN_ORDERS.ok]);
  });

  it('finds markup and quotes as plain values', async () => {
    const byKey = await searchSessions(db.store, { q: KNOWN_ORDERS.hostile, limit: 5 });
    expect(byKey.rows.map((r) => r.businessKey)).toEqual([KNOWN_ORDERS.hostile]);
  });

  it('answers or refuses SQL-looking dashboard dimensions and values', async () => {
    for (const text of HOSTILE) {
      for (const query of [
        { range: '30d', dim: text.slice(0, 191), value: 'x' },
        { range: '30d', dim: 'channel', value: text.slice(0, 500) },
        { range: '30d', template: text.slice(0, 128) },
      ]) {
        const params = DashboardParamsSchema.parse(query);
        await expect(
          answersOrRefuses(() => loadDashboards(db.store, params, NOW)),
          text,
        ).resolves.toMatch(/answered|refused/);
      }
    }
  });

  it('answers or refuses any field name and value (property)', async () => {
    const sqlish = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.constantFrom(...HOSTILE),
      fc.stringMatching(/^[A-Za-z_$][\w$.'"`;\\ -]{0,30}$/),
    );
    await fc.assert(
      fc.asyncProperty(
        sqlish,
        sqlish,
        fc.constantFrom('=', '>=', ':', '<'),
        async (field, value, op) => {
          const outcome = await answersOrRefuses(() =>
            searchSessions(db.store, { q: `${field}${op}${value}`, limit: 5 }),
          );
          return outcome === 'answered' || outcome === 'refused';
        },
      ),
      { numRuns: RUNS },
    );
  }, 300_000); // a bare value tries every string field: up to ~20 queries a run on a shared machine
});
