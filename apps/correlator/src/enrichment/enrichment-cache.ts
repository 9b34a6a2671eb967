import type { Enricher } from '@weft/engine';
import type { FieldValue, Template } from '@weft/templates';
import { messageOf } from '../errors.js';
import type { CheckResult } from '../http/index.js';
import type { Logger } from '../logging.js';
import type { CorrelatorMetrics } from '../metrics.js';
import type { DimensionLoader } from './dimension-source.js';
import { lookupPlans } from './lookup-plan.js';
import type { LookupPlan } from './lookup-plan.js';
import { buildLookupTable, lookUp } from './lookup-table.js';
import type { LookupTable } from './lookup-table.js';

export interface EnrichmentCacheOptions {
  template: Template;
  load: DimensionLoader;
  metrics: CorrelatorMetrics;
  logger: Logger;
  /** The correlator's clock: when a table was loaded, when it is due again. */
  now: () => number;
  /** After a failed load, try again this long later (or at the TTL, if sooner). Default 30 s. */
  retryMs?: number;
}

/** One lookup: its plan, the last table that loaded (empty until one did), and when to load again. */
interface LookupState {
  readonly plan: LookupPlan;
  table: LookupTable;
  dueAt: number;
  /** Why the last load failed; undefined after a good one. */
  problem: string | undefined;
  /** Distinct keys seen without a row (bounded; for the run summary and logs). */
  readonly missing: Set<string>;
}

/** Distinct missing keys remembered per lookup; more are counted by the metric only. */
const MISSING_KEYS_KEPT = 10_000;
/** A table is never reloaded more often than this, whatever its `cacheTtl`. */
const MIN_REFRESH_MS = 1_000;

/**
 * The enrichment lookups of one template, served from memory. `open` loads
 * every lookup's dimension table (a table that cannot be loaded is served
 * empty: its fields are null, and the failure is logged and reported by
 * `health`); `refreshDue` reloads the tables whose `cacheTtl` has passed
 * since their last load, keeping the last good table when a reload fails;
 * `enrich` is the engine's synchronous `Enricher` over whatever is loaded
 * now. A key with no row gives null fields and counts as a `miss`.
 *
 * @example
 * const cache = await EnrichmentCache.open({ template, load: storeDimensions(store), metrics, logger, now: Date.now });
 * const job = new CorrelationJob(compiled, { emit, enrich: cache.enrich });
 * const stop = cache.refreshEvery(1_000); // live runs
 */
export class EnrichmentCache {
  private lookups: LookupState[] = [];
  private refreshing: Promise<void> | undefined;
  private readonly retryMs: number;

  private constructor(
    private template: Template,
    private readonly options: EnrichmentCacheOptions,
  ) {
    this.retryMs = options.retryMs ?? 30_000;
  }

  /** Loads every lookup's table of `options.template`. */
  static async open(options: EnrichmentCacheOptions): Promise<EnrichmentCache> {
    const cache = new EnrichmentCache(options.template, options);
    cache.lookups = await cache.loadAll(lookupPlans(options.template), []);
    return cache;
  }

  /** The engine's enricher: stable across refreshes and template changes (it reads the current tables). */
  readonly enrich: Enricher = (baseline) => {
    const out: Record<string, FieldValue> = {};
    for (const state of this.lookups) {
      const { fields, outcome, key } = lookUp(state.plan, state.table, baseline);
      Object.assign(out, fields);
      if (outcome === 'no_key') continue;
      this.options.metrics.enrichmentLookups.inc({
        template: this.template.id,
        lookup: state.plan.lookupId,
        outcome,
      });
      if (outcome === 'miss' && key !== null && state.missing.size < MISSING_KEYS_KEPT)
        state.missing.add(key);
    }
    return out;
  };

  /** True when the template declares enrichment lookups. */
  get active(): boolean {
    return this.lookups.length > 0;
  }

  /** Reloads the tables whose TTL (or retry delay) has passed; one reload at a time. */
  refreshDue(): Promise<void> {
    if (this.refreshing !== undefined) return this.refreshing;
    const now = this.options.now();
    const due = this.lookups.filter((s) => s.dueAt <= now);
    if (due.length === 0) return Promise.resolve();
    const refreshing = (async () => {
      for (const state of due) await this.load(state);
    })().finally(() => {
      this.refreshing = undefined;
    });
    this.refreshing = refreshing;
    return refreshing;
  }

  /**
   * Starts refreshing in the background: every `checkMs`, the tables that
   * are due are reloaded (live runs). Returns the function that stops it.
   */
  refreshEvery(checkMs: number): () => Promise<void> {
    const timer = setInterval(() => void this.refreshDue(), checkMs);
    timer.unref();
    return async () => {
      clearInterval(timer);
      await this.refreshing;
    };
  }

  /**
   * Follows a live template change: lookups that read the same table the
   * same way keep their table; new or changed ones are loaded before this
   * resolves, so the switched job never sees a half-loaded version.
   */
  async retarget(template: Template): Promise<void> {
    await this.refreshing;
    const kept = new Map(this.lookups.map((s) => [planKey(s.plan), s]));
    this.lookups = await this.loadAll(lookupPlans(template), [...kept.values()]);
    this.template = template;
  }

  /** The readiness check: fails while a lookup's last load failed, saying which table is served. */
  health(): CheckResult {
    const failing = this.lookups.filter((s) => s.problem !== undefined);
    if (failing.length === 0) return { ok: true };
    return {
      ok: false,
      detail: failing
        .map(
          (s) =>
            `${s.plan.lookupId} (${s.plan.spec.table}): ${s.problem}; serving ${
              s.table.rows.size === 0
                ? 'no rows (its fields are null)'
                : `the ${s.table.rows.size} rows loaded at ${new Date(s.table.loadedAt).toISOString()}`
            }`,
        )
        .join('; '),
    };
  }

  /** Distinct keys that had no row, per lookup id (lookups with none left out). */
  missingKeys(): Record<string, number> {
    return Object.fromEntries(
      this.lookups.filter((s) => s.missing.size > 0).map((s) => [s.plan.lookupId, s.missing.size]),
    );
  }

  private async loadAll(
    plans: readonly LookupPlan[],
    previous: readonly LookupState[],
  ): Promise<LookupState[]> {
    const states: LookupState[] = [];
    for (const plan of plans) {
      const same = previous.find((s) => planKey(s.plan) === planKey(plan));
      if (same !== undefined) {
        states.push(same);
        continue;
      }
      const state: LookupState = {
        plan,
        table: { rows: new Map(), origin: 'nothing loaded', loadedAt: this.options.now() },
        dueAt: 0,
        problem: undefined,
        missing: new Set(),
      };
      await this.load(state);
      states.push(state);
    }
    return states;
  }

  /** Loads one table; on failure keeps the table it has and tries again after the retry delay. */
  private async load(state: LookupState): Promise<void> {
    const { plan } = state;
    const labels = { template: this.template.id, lookup: plan.lookupId };
    const started = this.options.now();
    try {
      const { rows, origin } = await this.options.load(plan);
      state.table = buildLookupTable(plan, rows, origin, started);
      state.problem = undefined;
      state.dueAt = started + Math.max(plan.cacheTtlMs, MIN_REFRESH_MS);
      this.options.metrics.enrichmentLoads.inc({ ...labels, outcome: 'ok' });
      this.options.metrics.enrichmentRows.set(labels, state.table.rows.size);
      this.options.logger.info(
        { ...labels, rows: state.table.rows.size, origin },
        'enrichment table loaded',
      );
    } catch (error) {
      state.problem = messageOf(error);
      state.dueAt = started + Math.max(Math.min(plan.cacheTtlMs, this.retryMs), MIN_REFRESH_MS);
      this.options.metrics.enrichmentLoads.inc({ ...labels, outcome: 'failed' });
      this.options.logger.warn(
        { ...labels, table: plan.spec.table, err: error, servedRows: state.table.rows.size },
        state.table.rows.size === 0
          ? 'enrichment table could not be loaded; its fields stay null until it loads'
          : 'enrichment table refresh failed; keeping the rows loaded before',
      );
    }
  }
}

function planKey(plan: LookupPlan): string {
  return JSON.stringify([
    plan.lookupId,
    plan.sessionField,
    plan.spec,
    plan.fields,
    plan.cacheTtlMs,
  ]);
}
