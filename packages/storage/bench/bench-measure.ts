import type { Store } from '../src/index.js';
import { DAY, MERCHANTS, random } from './bench-data.js';
import { percentile } from './bench-stats.js';

export interface MeasurePlan {
  total: number;
  end: number;
  days: number;
  /** Lookups and searches per round. */
  perRound: number;
  rounds: number;
}

/** p50 and p99 of each round, so every figure is a median over rounds with min and max. */
export interface Measured {
  lookupP50: number[];
  lookupP99: number[];
  searchP50: number[];
  searchP99: number[];
  searchHits: number;
  dashboardMs: number[];
  dashboardPoints: number;
}

async function timed<T>(samples: number[], work: () => Promise<T>): Promise<T> {
  const began = performance.now();
  const result = await work();
  samples.push(performance.now() - began);
  return result;
}

/** Lookup by order id, two-field search and the 90-day hourly dashboard, `rounds` times each. */
export async function measureQueries(store: Store, plan: MeasurePlan): Promise<Measured> {
  const rnd = random(7);
  const out: Measured = {
    lookupP50: [],
    lookupP99: [],
    searchP50: [],
    searchP99: [],
    searchHits: 0,
    dashboardMs: [],
    dashboardPoints: 0,
  };
  for (let round = 0; round < plan.rounds; round += 1) {
    const lookups: number[] = [];
    for (let i = 0; i < plan.perRound; i += 1) {
      const key = `ORD${String(Math.floor(rnd() * plan.total)).padStart(10, '0')}`;
      const found = await timed(lookups, () =>
        store.sessions.byBusinessKey(key, { templateId: 'bench-order' }),
      );
      if (found.length !== 1) throw new Error(`lookup of ${key} found ${found.length} sessions`);
    }
    out.lookupP50.push(percentile(lookups, 0.5));
    out.lookupP99.push(percentile(lookups, 0.99));
    const searches: number[] = [];
    for (let i = 0; i < plan.perRound; i += 1) {
      const page = await timed(searches, () =>
        store.sessions.search({
          templateId: 'bench-order',
          where: [
            { field: 'merchant', op: '=', value: `M${Math.floor(rnd() * MERCHANTS)}` },
            { field: 'riskScore', op: '>=', value: 90 },
          ],
          limit: 50,
        }),
      );
      out.searchHits += page.sessions.length;
    }
    out.searchP50.push(percentile(searches, 0.5));
    out.searchP99.push(percentile(searches, 0.99));
    const answer = await timed(out.dashboardMs, () =>
      store.rollups.query({
        templateId: 'bench-order',
        grain: 'hour',
        from: plan.end - plan.days * DAY,
        to: plan.end,
        dimensions: ['channel', 'region', '$verdict'],
        measures: [
          { field: 'amount', agg: 'count' },
          { field: 'amount', agg: 'p95' },
        ],
      }),
    );
    if (answer.source !== 'rollup') throw new Error('the dashboard was not served from rollups');
    out.dashboardPoints = answer.points.length;
  }
  return out;
}
