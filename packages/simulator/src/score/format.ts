import type { ConfusionMatrix, PatternScore, ScoreReport } from './report.js';

const pct = (value: number) => `${(value * 100).toFixed(2)}%`;

function table(rows: readonly (readonly string[])[]): string {
  const widths = (rows[0] ?? []).map((_, column) =>
    Math.max(...rows.map((row) => (row[column] ?? '').length)),
  );
  return rows
    .map((row) => row.map((cell, column) => cell.padStart(widths[column] ?? 0)).join('  '))
    .join('\n');
}

function matrixTable(matrix: ConfusionMatrix): string {
  const header = ['expected \\ predicted', ...matrix.predicted];
  const rows = matrix.expected.map((expected) => [
    expected,
    ...matrix.predicted.map((predicted) => String(matrix.counts[expected]?.[predicted] ?? 0)),
  ]);
  return table([header, ...rows]);
}

function patternLines(patterns: readonly PatternScore[]): string[] {
  if (patterns.length === 0) return [];
  return [
    '',
    'entity patterns (a session counts as found when its session carries the conclusion among its verdicts)',
    ...patterns.map(
      (p) =>
        `  ${p.pattern} → ${p.conclusion}: precision ${p.precision === null ? 'n/a (never concluded)' : pct(p.precision)}  recall ${pct(p.recall)}  (${String(p.truePositives)} found, ${String(p.falseNegatives)} missed, ${String(p.falsePositives)} false alarms); ${String(p.instancesDetected)}/${String(p.instances)} instances seen`,
    ),
  ];
}

/**
 * Renders a score report for a terminal. Example:
 * `console.log(formatScoreReport(scoreSessions(truth, sessions)))`.
 */
export function formatScoreReport(report: ScoreReport): string {
  const { totals, assignment, splitMerge, orphans, deadLetters, conclusions } = report;
  const pair = assignment.pairwise;
  return [
    `truth: ${String(totals.truthSessions)} true sessions, ${String(totals.expectedSessions)} expected sessions, ${String(totals.truthRecords)} records`,
    `predicted: ${String(totals.predictedSessions)} sessions holding ${String(totals.predictedRecords)} records`,
    '',
    'record-to-session assignment (pairwise)',
    `  precision ${pct(pair.precision)}  recall ${pct(pair.recall)}  F1 ${pct(pair.f1)}`,
    `  pairs: ${String(pair.truePairs)} correct of ${String(pair.predictedPairs)} predicted, ${String(pair.expectedPairs)} expected`,
    `  coverage ${pct(assignment.coverage)} (${String(assignment.missingRecords)} records of expected sessions in no session)`,
    `  unknown records ${String(assignment.unknownRecords)}, duplicates kept ${String(assignment.duplicateCounted)}, records in several sessions ${String(assignment.multiplyAssigned)}`,
    '',
    'split / merge',
    `  split errors ${String(splitMerge.splitErrors)} (${String(splitMerge.extraFragments)} extra fragments), merge errors ${String(splitMerge.mergeErrors)}`,
    `  expected splits ${String(splitMerge.expectedSplits)}: ${String(splitMerge.expectedSplitsHonored)} split as expected, ${String(splitMerge.expectedSplitsMerged)} kept together`,
    `orphans: ${String(orphans.expected)} expected, ${String(orphans.unattached)} left unattached, ${String(orphans.attached)} wrongly attached`,
    `dead letters: ${String(deadLetters.expected)} expected, ${String(deadLetters.inSessions)} wrongly inside a session`,
    '',
    `conclusions: ${pct(conclusions.accuracy)} correct (${String(conclusions.correct)}/${String(conclusions.total)} expected sessions)`,
    matrixTable(conclusions),
    ...patternLines(report.patterns),
  ].join('\n');
}
