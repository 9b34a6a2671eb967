import type { Severity } from '@weft/templates';
import type { Rng } from './prng.js';

/** How a source encodes its event time (docs/scenarios.md). */
export type TimeEncoding = 'epoch_ms' | 'epoch_s' | 'iso';

/** One system that logs part of the business flow. */
export interface SourceSpec {
  readonly id: string;
  readonly timeField: string;
  readonly encoding: TimeEncoding;
}

/**
 * `outcome` faults decide the true conclusion and exclude each other; `shape` faults only bend the
 * records; `pattern` faults make the session part of a cross-session entity pattern (a fraud ring,
 * a card-testing burst), exclude each other and are drawn from a stream of their own, so turning
 * them on leaves every other session's draws as they were.
 */
export type FaultKind = 'outcome' | 'shape' | 'pattern';

export interface FaultSpec {
  readonly name: string;
  readonly kind: FaultKind;
  readonly defaultRate: number;
  /** What the rate is a probability of, e.g. "per order". */
  readonly per: string;
  readonly description: string;
}

/** A record before ids are assigned: its true time, delivery delay and raw body. */
export interface RecordDraft {
  readonly source: string;
  /** True event time in epoch ms (the logged time may be skewed). */
  readonly eventTime: number;
  /** Delivery delay in ms: arrival = eventTime + delay. */
  delay: number;
  /** Kafka message key: the id this system knows the record by. */
  readonly key: string | null;
  readonly body: Record<string, unknown>;
  /** Which expected session of a split true session it belongs to (0 unless split). */
  readonly part: number;
  readonly skewed: boolean;
}

/**
 * Ground truth of an entity pattern: this session belongs to pattern instance `instance`
 * (e.g. `ring-003`), which the template conclusion `conclusion` is meant to detect.
 */
export interface PatternTag {
  readonly pattern: string;
  readonly instance: string;
  readonly conclusion: string;
}

/** One true business session as a scenario generated it. */
export interface SessionDraft {
  readonly businessKey: string;
  readonly records: RecordDraft[];
  /** Names of the faults that actually shaped this session. */
  readonly faults: string[];
  readonly split: boolean;
  /** Entity patterns this session belongs to (none for most sessions). */
  readonly patterns?: readonly PatternTag[];
  /** Further true sessions the same draw produces (the later payments of a card-testing burst). */
  readonly followUps?: readonly SessionDraft[];
}

export interface Verdict {
  readonly conclusion: string;
  readonly severity: Severity;
}

/** A dimension table written as `<name>.ndjson`. */
export interface DimensionTable {
  readonly name: string;
  readonly rows: readonly Record<string, string | number>[];
}

export interface SessionContext<World> {
  readonly world: World;
  readonly rng: Rng;
  readonly index: number;
  readonly start: number;
  /** The outcome fault drawn for this session, or null for the happy path. */
  readonly outcome: string | null;
  /** Shape faults drawn for this session; the scenario applies those it owns. */
  readonly shapes: ReadonlySet<string>;
  /** The pattern fault drawn for this session, or null (the scenario applies those it owns). */
  readonly pattern: string | null;
}

/** A business flow the simulator can generate: sources, faults, world and sessions. */
export interface Scenario<World = unknown> {
  readonly id: string;
  /** Prefix of true session ids, e.g. `iap` → `iap-0000001`. */
  readonly sessionPrefix: string;
  readonly sources: readonly SourceSpec[];
  readonly faults: readonly FaultSpec[];
  /** The fault that emits a supplement record belonging to no session. */
  readonly orphanFault: string;
  /** Local-hour traffic weights and the UTC offset of the local clock. */
  readonly traffic: { readonly hourlyWeights: readonly number[]; readonly utcOffsetHours: number };
  buildWorld(rng: Rng, sessions: number): World;
  dimensions(world: World): DimensionTable[];
  session(context: SessionContext<World>): SessionDraft;
  orphan(context: SessionContext<World>): RecordDraft;
  /** The true conclusion of a set of records (docs/scenarios.md priority order), or null. */
  conclude(records: readonly RecordDraft[]): Verdict | null;
}

/** Names of the shape faults the generic pipeline applies to every scenario. */
export const GENERIC_FAULTS = {
  late: 'late-data',
  duplicate: 'duplicate-lines',
  malformed: 'malformed',
} as const;

/** Encodes an epoch-ms time the way a source logs it. */
export function encodeTime(ms: number, encoding: TimeEncoding): string | number {
  if (encoding === 'iso') return new Date(ms).toISOString();
  if (encoding === 'epoch_s') return Math.floor(ms / 1000);
  return ms;
}

/** Formats cents as the decimal string billing systems log ("6.00"). */
export function formatCents(cents: number): string {
  return (cents / 100).toFixed(2);
}
