import { GENERIC_FAULTS } from './model.js';
import type { RecordDraft, Scenario, SessionContext, SessionDraft, SourceSpec } from './model.js';
import type { Rng } from './prng.js';
import type { TruthSession } from './truth.js';

const HOUR = 3_600_000;

/**
 * A record line on its way to Weft. A class rather than object literals so that
 * the arrival queue compares one hidden class only (it is the hot path of 1M-order runs).
 */
export class RecordEvent {
  readonly type = 'record' as const;
  /** Generation order, the tie-breaker of equal arrivals; set when queued. */
  seq = 0;

  constructor(
    readonly source: string,
    /** The id its system knows it by, used as the Kafka message key. */
    readonly key: string | null,
    /** Processing time at which the line reaches Weft (epoch ms). */
    readonly arrival: number,
    readonly line: string,
  ) {}
}

/** What one session index produces: its record lines (unordered) and its truth entries. */
export interface SessionOutput {
  readonly records: RecordEvent[];
  readonly truths: TruthSession[];
}

interface Identified {
  readonly draft: RecordDraft;
  readonly id: string;
}

function line(body: Record<string, unknown>, session: string, record: string): string {
  // The body belongs to this pipeline once drafted: tagging it in place (`_sim` last) avoids a
  // copy per record, the largest allocation of a 1M-order run.
  body['_sim'] = { session, record };
  return JSON.stringify(body);
}

function recordEvent(item: Identified, session: string, extraDelay = 0): RecordEvent {
  const { draft } = item;
  const arrival = draft.eventTime + draft.delay + extraDelay;
  return new RecordEvent(draft.source, draft.key, arrival, line(draft.body, session, item.id));
}

function emptyFlags() {
  return { split: false, orphan: false, deadLetter: false, late: [], duplicated: [], skewed: [] };
}

/**
 * Turns one scenario session into record lines and truth entries, applying the
 * generic faults (late data, duplicated lines, malformed copies, orphans).
 */
export function produceSession(
  scenario: Scenario<never>,
  context: SessionContext<never>,
  sessionId: string,
): SessionOutput {
  const rng = context.rng;
  const draft = scenario.session(context);
  const items = identify(draft, sessionId);
  const faults = [...draft.faults];
  const late: string[] = [];
  const duplicated: string[] = [];
  if (context.shapes.has(GENERIC_FAULTS.late)) {
    const victim = rng.pick(items);
    victim.draft.delay += rng.int(HOUR, 3 * HOUR);
    late.push(victim.id);
    faults.push(GENERIC_FAULTS.late);
  }
  const records = items.map((item) => recordEvent(item, sessionId));
  if (context.shapes.has(GENERIC_FAULTS.duplicate)) {
    const index = rng.int(0, items.length);
    const original = records[index] as RecordEvent;
    const arrival = original.arrival + rng.int(50, 5000);
    records.push(new RecordEvent(original.source, original.key, arrival, original.line));
    duplicated.push((items[index] as Identified).id);
    faults.push(GENERIC_FAULTS.duplicate);
  }
  const truths = [sessionTruth(scenario, draft, sessionId, items, faults, { late, duplicated })];
  // The later payments of a burst: whole true sessions of their own, without generic faults.
  (draft.followUps ?? []).forEach((followUp, n) => {
    const id = `${sessionId}~b${String(n + 1)}`;
    const members = identify(followUp, id);
    records.push(...members.map((item) => recordEvent(item, id)));
    truths.push(sessionTruth(scenario, followUp, id, members, [...followUp.faults], {}));
  });
  if (context.shapes.has(GENERIC_FAULTS.malformed)) {
    const malformed = malformedCopy(scenario, rng.pick(items), `${sessionId}~dl`, rng);
    records.push(malformed.record);
    truths.push(malformed.truth);
  }
  if (context.shapes.has(scenario.orphanFault)) {
    const orphanId = `${sessionId}~orphan`;
    const item = { draft: scenario.orphan(context), id: `${orphanId}/1` };
    records.push(recordEvent(item, orphanId));
    truths.push(standaloneTruth(scenario.id, orphanId, item.id, 'orphan', scenario.orphanFault));
  }
  return { records, truths };
}

/** Record ids `<session>/<n>` in draft order. */
function identify(draft: SessionDraft, sessionId: string): Identified[] {
  return draft.records.map((r, n) => ({ draft: r, id: `${sessionId}/${String(n + 1)}` }));
}

/** The truth entry of one true session: expected sessions (two when split) and conclusions. */
function sessionTruth(
  scenario: Scenario<never>,
  draft: SessionDraft,
  sessionId: string,
  items: readonly Identified[],
  faults: string[],
  marked: { readonly late?: string[]; readonly duplicated?: string[] },
): TruthSession {
  const parts = draft.split ? [0, 1] : [0];
  const expected = parts.map((part) => {
    const members = items.filter((item) => item.draft.part === part);
    const verdict = scenario.conclude(members.map((item) => item.draft));
    return {
      id: draft.split ? `${sessionId}#${String(part + 1)}` : sessionId,
      records: members.map((item) => item.id),
      conclusion: verdict?.conclusion ?? null,
      severity: verdict?.severity ?? null,
    };
  });
  // The rules over all records; for a split session where none holds (steps logged again after
  // a resume), the last part's conclusion: how the business flow ended.
  const last = expected[expected.length - 1] as (typeof expected)[number];
  const whole = draft.split ? scenario.conclude(draft.records) : null;
  const outcome = whole === null ? last : whole;
  const truth: TruthSession = {
    session: sessionId,
    scenario: scenario.id,
    kind: 'session',
    businessKey: draft.businessKey,
    conclusion: outcome.conclusion,
    severity: outcome.severity,
    records: items.map((item) => item.id),
    faults,
    flags: {
      ...emptyFlags(),
      split: draft.split,
      late: marked.late ?? [],
      duplicated: marked.duplicated ?? [],
      skewed: items.filter((item) => item.draft.skewed).map((item) => item.id),
    },
    expected,
  };
  // Written only when present, so runs without pattern faults keep their exact bytes.
  if (draft.patterns !== undefined && draft.patterns.length > 0)
    truth.patterns = draft.patterns.map((tag) => ({ ...tag }));
  return truth;
}

function standaloneTruth(
  scenario: string,
  session: string,
  record: string,
  kind: 'orphan' | 'dead_letter',
  fault: string,
): TruthSession {
  return {
    session,
    scenario,
    kind,
    businessKey: null,
    conclusion: null,
    severity: null,
    records: [record],
    faults: [fault],
    flags: { ...emptyFlags(), orphan: kind === 'orphan', deadLetter: kind === 'dead_letter' },
    expected: [],
  };
}

const malformations = ['bad_json', 'missing_time', 'wrong_type'] as const;

/** A corrupted extra copy of one record, with its own dead-letter truth entry. */
function malformedCopy(scenario: Scenario<never>, item: Identified, session: string, rng: Rng) {
  const malformation = rng.pick(malformations);
  const spec = scenario.sources.find((source) => source.id === item.draft.source) as SourceSpec;
  // A copy: the original line is already written; `_sim` keeps its place and gets new ids.
  const body = { ...item.draft.body };
  // Mongo-export style wrappers: a classic wrong type that no strict parser coerces.
  if (malformation === 'wrong_type') body[spec.timeField] = { $date: body[spec.timeField] };
  if (malformation === 'missing_time') delete body[spec.timeField];
  const recordId = `${session}/1`;
  const event = recordEvent(
    { draft: { ...item.draft, body }, id: recordId },
    session,
    rng.int(0, 2000),
  );
  // A write cut short: the closing brace is missing, `_sim` stays readable for humans.
  const record =
    malformation === 'bad_json'
      ? new RecordEvent(event.source, event.key, event.arrival, event.line.slice(0, -1))
      : event;
  const truth = standaloneTruth(
    scenario.id,
    session,
    recordId,
    'dead_letter',
    GENERIC_FAULTS.malformed,
  );
  return { record, truth: { ...truth, source: item.draft.source, malformation } };
}
