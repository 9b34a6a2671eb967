import { diurnalTimes } from './distributions.js';
import type { DimensionTable, Scenario } from './model.js';
import { ArrivalQueue } from './heap.js';
import type { ResolvedOptions, SimulateOptions } from './options.js';
import { resolveOptions, scenarioById } from './options.js';
import type { RecordEvent } from './pipeline.js';
import { produceSession } from './pipeline.js';
import { Rng } from './prng.js';
import type { TruthSession } from './truth.js';

export { RecordEvent } from './pipeline.js';

/** A truth entry, yielded as soon as its session is generated. */
export interface TruthEvent {
  readonly type: 'truth';
  readonly truth: TruthSession;
}

export type SimEvent = RecordEvent | TruthEvent;

/** Running totals of what the simulation produced; final once `events()` is exhausted. */
export interface SimulationCounts {
  sessions: number;
  recordLines: Record<string, number>;
  conclusions: Record<string, number>;
  faults: Record<string, number>;
  expectedSessions: number;
  splits: number;
  orphans: number;
  deadLetters: number;
}

export interface Simulation {
  readonly options: ResolvedOptions;
  readonly sources: readonly string[];
  readonly dimensions: readonly DimensionTable[];
  readonly counts: SimulationCounts;
  /** Record lines in arrival order (ties by generation order), interleaved with truth entries. */
  events(): Generator<SimEvent>;
}

/**
 * Sets up a deterministic simulation; nothing is generated until `events()` is
 * iterated, and at most the records still in flight are held in memory.
 * Example:
 * `for (const e of createSimulation({ scenario: 'in-app-purchase', orders: 10, seed: 1 }).events()) …`
 */
export function createSimulation(input: SimulateOptions): Simulation {
  const options = resolveOptions(input);
  const scenario = scenarioById(options.scenario);
  const world = scenario.buildWorld(Rng.derive(options.worldSeed, 'world'), options.orders);
  const counts: SimulationCounts = {
    sessions: 0,
    recordLines: Object.fromEntries(scenario.sources.map((s) => [s.id, 0])),
    conclusions: {},
    faults: Object.fromEntries(scenario.faults.map((f) => [f.name, 0])),
    expectedSessions: 0,
    splits: 0,
    orphans: 0,
    deadLetters: 0,
  };
  return {
    options,
    sources: scenario.sources.map((source) => source.id),
    dimensions: scenario.dimensions(world),
    counts,
    events: () => generate(scenario, world, options, counts),
  };
}

function* generate(
  scenario: Scenario<never>,
  world: never,
  options: ResolvedOptions,
  counts: SimulationCounts,
): Generator<SimEvent> {
  const timeRng = Rng.derive(options.seed, 'times');
  const rng = Rng.derive(options.seed, 'sessions');
  const startAt = diurnalTimes(
    options.orders,
    options.start,
    options.spanHours * 3_600_000,
    scenario.traffic.hourlyWeights,
    scenario.traffic.utcOffsetHours,
  );
  const drawFaults = faultDrawer(scenario, options.faults);
  const drawPattern = patternDrawer(scenario, options.faults, Rng.derive(options.seed, 'patterns'));
  const queue = new ArrivalQueue<RecordEvent>();
  let seq = 0;
  const end = options.firstOrder + options.orders;
  for (let index = options.firstOrder; index < end; index += 1) {
    const start = startAt(index - options.firstOrder, timeRng);
    // Every later session starts at or after `start` and no record arrives before its session starts.
    for (let head = queue.peek(); head !== undefined && head.arrival < start; head = queue.peek()) {
      yield counted(counts, queue.pop() as RecordEvent);
    }
    const { outcome, shapes } = drawFaults(rng);
    const pattern = drawPattern();
    const sessionId = `${scenario.sessionPrefix}-${String(index + 1).padStart(7, '0')}`;
    const output = produceSession(
      scenario,
      { world, rng, index, start, outcome, shapes, pattern },
      sessionId,
    );
    for (const record of output.records) {
      record.seq = seq;
      queue.push(record);
      seq += 1;
    }
    for (const truth of output.truths) {
      tally(counts, truth);
      yield { type: 'truth', truth };
    }
  }
  for (let record = queue.pop(); record !== undefined; record = queue.pop()) {
    yield counted(counts, record);
  }
}

// Most sessions draw no shape fault: they share one empty set instead of allocating their own.
const NO_SHAPES: ReadonlySet<string> = new Set();

/** Picks at most one of `names` with one draw (the names exclude each other). */
function drawOne(
  rng: Rng,
  names: readonly string[],
  rates: Readonly<Record<string, number>>,
): string | null {
  let draw = rng.next();
  for (const name of names) {
    draw -= rates[name] ?? 0;
    if (draw < 0) return name;
  }
  return null;
}

/** Draws at most one outcome fault (they exclude each other) and each shape fault independently. */
function faultDrawer(scenario: Scenario<never>, rates: Readonly<Record<string, number>>) {
  const outcomes = scenario.faults.filter((f) => f.kind === 'outcome').map((f) => f.name);
  const shapeFaults = scenario.faults.filter((f) => f.kind === 'shape').map((f) => f.name);
  return (rng: Rng) => {
    const outcome = drawOne(rng, outcomes, rates);
    let shapes: ReadonlySet<string> = NO_SHAPES;
    for (const name of shapeFaults) {
      if (rng.chance(rates[name] ?? 0)) shapes = new Set([...shapes, name]);
    }
    return { outcome, shapes };
  };
}

/** Draws at most one pattern fault per session from the pattern stream (nothing when all are off). */
function patternDrawer(
  scenario: Scenario<never>,
  rates: Readonly<Record<string, number>>,
  rng: Rng,
): () => string | null {
  const patterns = scenario.faults.filter((f) => f.kind === 'pattern').map((f) => f.name);
  if (patterns.every((name) => (rates[name] ?? 0) === 0)) return () => null;
  return () => drawOne(rng, patterns, rates);
}

function counted(counts: SimulationCounts, record: RecordEvent): RecordEvent {
  counts.recordLines[record.source] = (counts.recordLines[record.source] ?? 0) + 1;
  return record;
}

function tally(counts: SimulationCounts, truth: TruthSession): void {
  for (const fault of truth.faults) counts.faults[fault] = (counts.faults[fault] ?? 0) + 1;
  if (truth.kind === 'orphan') counts.orphans += 1;
  if (truth.kind === 'dead_letter') counts.deadLetters += 1;
  if (truth.kind !== 'session') return;
  counts.sessions += 1;
  counts.expectedSessions += truth.expected.length;
  if (truth.flags.split) counts.splits += 1;
  const conclusion = truth.conclusion ?? '(none)';
  counts.conclusions[conclusion] = (counts.conclusions[conclusion] ?? 0) + 1;
}
