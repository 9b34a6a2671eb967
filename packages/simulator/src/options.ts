import { InvalidFaultSpecError, InvalidOptionError } from './errors.js';
import type { Scenario } from './model.js';
import { scenarioIds, scenarios } from './scenarios/index.js';

/** The first event time when none is given: fixed, so that default runs are reproducible. */
export const DEFAULT_START = Date.UTC(2026, 10, 24, 0, 0, 0);

/** What the caller may set; everything else has a documented default. */
export interface SimulateOptions {
  readonly scenario: string;
  readonly orders: number;
  readonly seed: number;
  /** First session start, epoch ms. Default 2026-11-24T00:00:00Z. */
  readonly start?: number;
  /** Hours over which session starts are spread (diurnal curve). Default 24. */
  readonly spanHours?: number;
  /** `"none"`, `"name=rate,…"` (unnamed faults keep their default), or rates by name. */
  readonly faults?: string | Readonly<Record<string, number>>;
  /**
   * Index of the first order. Order ids, trans ids and session ids derive
   * from the index (not the seed), so a later run that starts at or after an
   * earlier one's `firstOrder + orders` never reuses its ids. Default 0.
   */
  readonly firstOrder?: number;
  /**
   * Seed of the world — players, items, fraud rings, and so the dimension
   * tables — apart from the seed of the sessions. Default `seed`. Runs that
   * share it (and `orders`) share their catalog and players, so successive
   * batches with other seeds stay consistent with one loaded catalog.
   */
  readonly worldSeed?: number;
}

/** Options after validation, with every fault rate spelled out. */
export interface ResolvedOptions {
  readonly scenario: string;
  readonly orders: number;
  readonly seed: number;
  readonly start: number;
  readonly spanHours: number;
  readonly faults: Readonly<Record<string, number>>;
  readonly firstOrder: number;
  readonly worldSeed: number;
}

/**
 * Validates options and fills defaults. Example:
 * `resolveOptions({ scenario: 'in-app-purchase', orders: 1000, seed: 7, faults: 'late-data=0.1' })`.
 */
export function resolveOptions(options: SimulateOptions): ResolvedOptions {
  const scenario = scenarioById(options.scenario);
  if (!Number.isInteger(options.orders) || options.orders < 1 || options.orders > 100_000_000) {
    throw new InvalidOptionError(
      `orders must be an integer in [1, 100000000], got ${String(options.orders)}.`,
    );
  }
  if (!Number.isInteger(options.seed) || options.seed < 0 || options.seed > 0xffffffff) {
    throw new InvalidOptionError(
      `seed must be an integer in [0, 4294967295], got ${String(options.seed)}.`,
    );
  }
  const start = options.start ?? DEFAULT_START;
  if (!Number.isInteger(start)) {
    throw new InvalidOptionError(`start must be epoch milliseconds, got ${String(start)}.`);
  }
  const spanHours = options.spanHours ?? 24;
  if (!(spanHours > 0 && spanHours <= 24 * 366)) {
    throw new InvalidOptionError(`spanHours must be in (0, 8784], got ${String(spanHours)}.`);
  }
  const firstOrder = options.firstOrder ?? 0;
  if (
    !Number.isInteger(firstOrder) ||
    firstOrder < 0 ||
    firstOrder + options.orders > MAX_ORDER_INDEX
  ) {
    throw new InvalidOptionError(
      `firstOrder must be an integer in [0, ${MAX_ORDER_INDEX} - orders], got ${String(firstOrder)}: ids stay distinct up to index ${MAX_ORDER_INDEX}.`,
    );
  }
  const worldSeed = options.worldSeed ?? options.seed;
  if (!Number.isInteger(worldSeed) || worldSeed < 0 || worldSeed > 0xffffffff) {
    throw new InvalidOptionError(
      `worldSeed must be an integer in [0, 4294967295], got ${String(worldSeed)}.`,
    );
  }
  const faults = resolveFaultRates(scenario, options.faults);
  return {
    scenario: scenario.id,
    orders: options.orders,
    seed: options.seed,
    start,
    spanHours,
    faults,
    firstOrder,
    worldSeed,
  };
}

/** Ids derived from an order index are exact below it (see `permutedId`). */
const MAX_ORDER_INDEX = 1_000_000_000;

export function scenarioById(id: string): Scenario<never> {
  const scenario = scenarios[id];
  if (scenario === undefined) {
    throw new InvalidOptionError(
      `unknown scenario "${id}"; choose one of ${scenarioIds.join(', ')}.`,
    );
  }
  return scenario;
}

/** Parses `"none"` or `"name=rate,…"` into a rate per fault of the scenario. */
export function resolveFaultRates(
  scenario: Scenario<never>,
  spec: string | Readonly<Record<string, number>> | undefined,
): Record<string, number> {
  const known = scenario.faults.map((fault) => fault.name);
  const rates = Object.fromEntries(scenario.faults.map((f) => [f.name, f.defaultRate]));
  const overrides = typeof spec === 'string' ? parseFaultSpec(spec, known) : (spec ?? {});
  if (overrides === 'none') return Object.fromEntries(known.map((name) => [name, 0]));
  for (const [name, rate] of Object.entries(overrides)) {
    if (!known.includes(name)) {
      throw new InvalidFaultSpecError(
        `unknown fault "${name}" for scenario ${scenario.id}; known faults: ${known.join(', ')}.`,
      );
    }
    if (!(rate >= 0 && rate <= 1)) {
      throw new InvalidFaultSpecError(
        `fault rate of "${name}" must be in [0, 1], got ${String(rate)}.`,
      );
    }
    rates[name] = rate;
  }
  for (const kind of ['outcome', 'pattern'] as const) {
    const total = scenario.faults
      .filter((fault) => fault.kind === kind)
      .reduce((sum, fault) => sum + (rates[fault.name] ?? 0), 0);
    if (total > 1 + 1e-9) {
      throw new InvalidFaultSpecError(
        `${kind} fault rates of ${scenario.id} add up to ${total.toFixed(3)} > 1; they exclude each other, lower some of them.`,
      );
    }
  }
  return rates;
}

function parseFaultSpec(spec: string, known: readonly string[]): Record<string, number> | 'none' {
  const trimmed = spec.trim();
  if (trimmed === 'none') return 'none';
  const rates: Record<string, number> = {};
  for (const part of trimmed.split(',').filter((p) => p.trim() !== '')) {
    const match = /^\s*([a-z-]+)\s*=\s*([0-9.eE+-]+)\s*$/.exec(part);
    if (match === null) {
      throw new InvalidFaultSpecError(
        `cannot read "${part}" in --faults; write name=rate pairs like "late-data=0.01,malformed=0" (known: ${known.join(', ')}) or "none".`,
      );
    }
    rates[match[1] as string] = Number(match[2]);
  }
  return rates;
}
