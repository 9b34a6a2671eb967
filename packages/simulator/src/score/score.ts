import type { Session } from '@weft/templates';
import type { TruthSession } from '../truth.js';
import { confusionMatrix } from './confusion.js';
import { scorePatterns, type ExpectedPatterns } from './patterns.js';
import type { PairwiseScore, ScoreReport } from './report.js';
import { simRecordId } from './sim-tag.js';

const MISSING = '(missing)';
const NONE = '(none)';

interface RecordTruth {
  /** Expected session id, or null for orphans and dead letters. */
  readonly expected: string | null;
  readonly truth: string;
  readonly kind: TruthSession['kind'];
}

interface ExpectedInfo {
  readonly id: string;
  readonly truth: string;
  readonly conclusion: string;
  readonly size: number;
}

/** The truth, indexed by record id and by expected session. */
function indexTruth(truth: Iterable<TruthSession>) {
  const records = new Map<string, RecordTruth>();
  const expected: ExpectedInfo[] = [];
  const patterns: ExpectedPatterns[] = [];
  const splits: TruthSession[] = [];
  let truthSessions = 0;
  for (const entry of truth) {
    if (entry.kind === 'session') truthSessions += 1;
    if (entry.flags.split) splits.push(entry);
    for (const id of entry.records)
      records.set(id, { expected: null, truth: entry.session, kind: entry.kind });
    for (const part of entry.expected) {
      const conclusion = part.conclusion ?? NONE;
      expected.push({ id: part.id, truth: entry.session, conclusion, size: part.records.length });
      patterns.push({ expectedId: part.id, tags: entry.patterns ?? [] });
      for (const id of part.records)
        records.set(id, { expected: part.id, truth: entry.session, kind: entry.kind });
    }
  }
  return { records, expected, patterns, splits, truthSessions };
}

/** The last version of every session that was not absorbed by a merge, by session id. */
function finalSessions(sessions: Iterable<Session>): Session[] {
  const latest = new Map<string, Session>();
  for (const session of sessions) {
    const seen = latest.get(session.sessionId);
    if (seen === undefined || seen.version < session.version)
      latest.set(session.sessionId, session);
  }
  return [...latest.values()]
    .filter((session) => session.mergedInto === null || session.mergedInto === undefined)
    .sort((a, b) => (a.sessionId < b.sessionId ? -1 : a.sessionId > b.sessionId ? 1 : 0));
}

const choose2 = (n: number) => (n * (n - 1)) / 2;

function increment(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

/** What reading the predicted sessions establishes, before any ratio is computed. */
interface Assignment {
  readonly assignedTo: Map<string, string>;
  /** expected session id → predicted session id → shared records. */
  readonly overlap: Map<string, Map<string, number>>;
  readonly verdictOf: Map<string, string>;
  /** Every conclusion among a predicted session's verdicts. */
  readonly verdictsOf: Map<string, Set<string>>;
  predictedPairs: number;
  duplicateCounted: number;
  multiplyAssigned: number;
  unknownRecords: number;
  orphansAttached: number;
  deadLettersInSessions: number;
  mergeErrors: number;
}

/** Distinct known-or-not record ids of one session; the first session to claim a record keeps it. */
function membersOf(session: Session, tally: Assignment): Set<string> {
  const members = new Set<string>();
  for (const node of session.nodes) {
    for (const record of node.records) {
      const id = simRecordId(record.raw);
      if (id === null) tally.unknownRecords += 1;
      else if (members.has(id)) tally.duplicateCounted += 1;
      else if (tally.assignedTo.has(id)) tally.multiplyAssigned += 1;
      else members.add(id);
    }
  }
  return members;
}

function assign(session: Session, records: ReadonlyMap<string, RecordTruth>, tally: Assignment) {
  tally.verdictOf.set(session.sessionId, session.verdict?.conclusion ?? NONE);
  tally.verdictsOf.set(session.sessionId, new Set(session.verdicts.map((v) => v.conclusion)));
  const members = membersOf(session, tally);
  const trueSessions = new Set<string>();
  for (const id of members) {
    tally.assignedTo.set(id, session.sessionId);
    const known = records.get(id);
    if (known === undefined) tally.unknownRecords += 1;
    else if (known.kind === 'orphan') tally.orphansAttached += 1;
    else if (known.kind === 'dead_letter') tally.deadLettersInSessions += 1;
    if (known === undefined || known.expected === null) continue;
    trueSessions.add(known.truth);
    const row = tally.overlap.get(known.expected) ?? new Map<string, number>();
    increment(row, session.sessionId);
    tally.overlap.set(known.expected, row);
  }
  if (trueSessions.size > 1) tally.mergeErrors += 1;
  tally.predictedPairs += choose2(members.size);
}

/**
 * Compares correlated sessions with the simulator's truth. Pure: the caller
 * reads the files. Sessions may hold several versions per id (the highest
 * wins) and sessions absorbed by a merge are ignored. Example:
 * `scoreSessions(parseTruthLines(lines), sessions).assignment.pairwise.precision`.
 */
export function scoreSessions(
  truth: Iterable<TruthSession>,
  sessions: Iterable<Session>,
): ScoreReport {
  const index = indexTruth(truth);
  const predicted = finalSessions(sessions);
  const tally: Assignment = {
    assignedTo: new Map(),
    overlap: new Map(),
    verdictOf: new Map(),
    verdictsOf: new Map(),
    predictedPairs: 0,
    duplicateCounted: 0,
    multiplyAssigned: 0,
    unknownRecords: 0,
    orphansAttached: 0,
    deadLettersInSessions: 0,
    mergeErrors: 0,
  };
  for (const session of predicted) assign(session, index.records, tally);
  const { assignedTo, overlap, verdictOf } = tally;
  const majority = majorityPrediction(overlap);
  const pairwise = pairwiseScore(overlap, index.expected, tally.predictedPairs);
  const found = [...overlap.values()].reduce((sum, row) => sum + sumValues(row), 0);
  const inExpected = index.expected.reduce((sum, e) => sum + e.size, 0);
  const fragments = [...overlap.values()].map((row) => row.size);
  const splitOutcome = expectedSplitOutcome(index.splits, majority);
  const orphanTotal = countKind(index.records, 'orphan');
  return {
    totals: {
      truthSessions: index.truthSessions,
      expectedSessions: index.expected.length,
      truthRecords: index.records.size,
      predictedSessions: predicted.length,
      predictedRecords: assignedTo.size,
    },
    assignment: {
      pairwise,
      coverage: inExpected === 0 ? 1 : found / inExpected,
      missingRecords: inExpected - found,
      unknownRecords: tally.unknownRecords,
      duplicateCounted: tally.duplicateCounted,
      multiplyAssigned: tally.multiplyAssigned,
    },
    splitMerge: {
      splitErrors: fragments.filter((n) => n > 1).length,
      extraFragments: fragments.reduce((sum, n) => sum + Math.max(0, n - 1), 0),
      mergeErrors: tally.mergeErrors,
      expectedSplits: index.splits.length,
      expectedSplitsHonored: splitOutcome.honored,
      expectedSplitsMerged: splitOutcome.merged,
    },
    orphans: {
      expected: orphanTotal,
      unattached: orphanTotal - tally.orphansAttached,
      attached: tally.orphansAttached,
    },
    deadLetters: {
      expected: countKind(index.records, 'dead_letter'),
      inSessions: tally.deadLettersInSessions,
    },
    conclusions: confusionMatrix(
      index.expected.map((e) => {
        const best = majority.get(e.id);
        return {
          expected: e.conclusion,
          predicted: best === undefined ? MISSING : (verdictOf.get(best) ?? NONE),
        };
      }),
    ),
    patterns: scorePatterns(index.patterns, majority, tally.verdictsOf),
  };
}

function sumValues(map: ReadonlyMap<string, number>): number {
  let sum = 0;
  for (const value of map.values()) sum += value;
  return sum;
}

function countKind(records: ReadonlyMap<string, RecordTruth>, kind: RecordTruth['kind']): number {
  let count = 0;
  for (const record of records.values()) if (record.kind === kind) count += 1;
  return count;
}

/** For each expected session, the predicted session holding most of its records (ties: smallest id). */
function majorityPrediction(
  overlap: ReadonlyMap<string, ReadonlyMap<string, number>>,
): Map<string, string> {
  const best = new Map<string, string>();
  for (const [expected, row] of overlap) {
    let winner: string | undefined;
    let most = 0;
    for (const [session, count] of row) {
      if (count > most || (count === most && winner !== undefined && session < winner)) {
        winner = session;
        most = count;
      }
    }
    if (winner !== undefined) best.set(expected, winner);
  }
  return best;
}

function pairwiseScore(
  overlap: ReadonlyMap<string, ReadonlyMap<string, number>>,
  expected: readonly ExpectedInfo[],
  predictedPairs: number,
): PairwiseScore {
  let truePairs = 0;
  for (const row of overlap.values()) for (const count of row.values()) truePairs += choose2(count);
  const expectedPairs = expected.reduce((sum, e) => sum + choose2(e.size), 0);
  const precision = predictedPairs === 0 ? 1 : truePairs / predictedPairs;
  const recall = expectedPairs === 0 ? 1 : truePairs / expectedPairs;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1, truePairs, predictedPairs, expectedPairs };
}

function expectedSplitOutcome(
  splits: readonly TruthSession[],
  majority: ReadonlyMap<string, string>,
) {
  let honored = 0;
  let merged = 0;
  for (const split of splits) {
    const homes = split.expected.map((part) => majority.get(part.id));
    if (homes.some((home) => home === undefined)) continue;
    if (new Set(homes).size === homes.length) honored += 1;
    else merged += 1;
  }
  return { honored, merged };
}
