import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DashboardParamsSchema } from '../../src/features/dashboards/server/dashboard-params';
import { loadDashboards } from '../../src/features/dashboards/server/load-dashboards';
import { purchaseSession, purchaseTemplate } from '../e2e/seed';
import type { Fault } from '../e2e/seed';
import { backendNames, openTestStore, publishTemplate } from './backends';
import type { TestStore } from './backends';
import type { Store } from '@weft/storage';

const NOW = Date.UTC(2026, 10, 24, 12);
const DAY = 86_400_000;
const FAULTS: Fault[] = ['ok', 'ok', 'paid_not_delivered', 'callback_missing'];

/** The dashboards page is served from rollups (defined on first use), with the raw sessions' numbers. */
describe.each(backendNames())('dashboards from rollups on %s', (backend) => {
  let db: TestStore;
  /** The same sessions with no rollup defined: every dashboard query scans them. */
  let rawDb: TestStore;
  const template = purchaseTemplate();
  const sessions = Array.from({ length: 120 }, (_, n) =>
    purchaseSession(
      template,
      `O-R${n}`,
      NOW - ((n * 7) % 100) * DAY - 3_600_000,
      FAULTS[n % 4]!,
      n,
    ),
  );
  const within = (days: number) => sessions.filter((s) => s.start >= NOW - days * DAY).length;

  beforeAll(async () => {
    db = await openTestStore(backend);
    rawDb = await openTestStore(backend);
    for (const { store } of [db, rawDb]) {
      await publishTemplate(store, template);
      await store.sessions.upsert(sessions);
    }
  });
  afterAll(async () => {
    await db?.close();
    await rawDb?.close();
  });

  it('answers the 90-day page from rollups with every session of the window', async () => {
    const data = await loadDashboards(db.store, DashboardParamsSchema.parse({ range: '90d' }), NOW);
    expect(data.source).toBe('rollup');
    expect(data.volume.total).toBe(within(90));
    expect(within(90)).toBeLessThan(sessions.length);
  });

  it('draws the same 90-day page from the narrowest rollups as from the raw sessions', async () => {
    const params = DashboardParamsSchema.parse({ range: '90d' });
    const fromRollups = await loadDashboards(db.store, params, NOW);
    // Defining is skipped in this store, so the page's queries find no rollup
    // (the page only awaits the definition: the answer's fields are never read).
    const notDefined = async (templateId: string) =>
      ({
        rollupId: 'not-defined',
        templateId,
        dimensions: [],
        measureFields: [],
        spec: { dimensions: [], measures: [] },
      }) as unknown as Awaited<ReturnType<Store['rollups']['define']>>;
    const rawOnly = { ...rawDb.store, rollups: { ...rawDb.store.rollups, define: notDefined } };
    const fromRaw = await loadDashboards(rawOnly, params, NOW);
    expect(fromRollups.source).toBe('rollup');
    expect(fromRaw.source).toBe('raw');
    expect({ ...fromRollups, source: null }).toEqual({ ...fromRaw, source: null });
    expect(fromRollups.percentiles.series.some((s) => s.values.some((v) => v !== null))).toBe(true);
  });

  it('keeps a drill-down on rollups, counting only that value', async () => {
    const channel = String(sessions[0]!.fields.channel);
    const params = DashboardParamsSchema.parse({ range: '30d', dim: 'channel', value: channel });
    const data = await loadDashboards(db.store, params, NOW);
    expect(data.source).toBe('rollup');
    const expected = sessions.filter(
      (s) => s.start >= NOW - 30 * DAY && s.fields.channel === channel,
    ).length;
    expect(data.volume.total).toBe(expected);
  });
});
