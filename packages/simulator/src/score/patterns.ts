import type { TruthSession } from '../truth.js';
import type { PatternScore } from './report.js';

/** One expected session's pattern memberships: pattern instance and the conclusion meant to find it. */
export interface ExpectedPatterns {
  readonly expectedId: string;
  readonly tags: NonNullable<TruthSession['patterns']>;
}

/**
 * Precision and recall of the entity-pattern conclusions, per (pattern, conclusion) the truth
 * names. Unit: the expected session. Actual positive: the session belongs to an instance of the
 * pattern. Predicted positive: the predicted session holding most of its records carries the
 * conclusion among its verdicts (not only as the first one). Sessions outside every pattern that
 * carry the conclusion are false positives. Assumes `expected` lists every expected session.
 */
export function scorePatterns(
  expected: readonly ExpectedPatterns[],
  majority: ReadonlyMap<string, string>,
  verdictsOf: ReadonlyMap<string, ReadonlySet<string>>,
): PatternScore[] {
  const pairs = new Map<string, { pattern: string; conclusion: string }>();
  for (const { tags } of expected)
    for (const tag of tags) pairs.set(`${tag.pattern}\u0000${tag.conclusion}`, tag);
  return [...pairs.values()]
    .sort((a, b) => (a.pattern < b.pattern ? -1 : a.pattern > b.pattern ? 1 : 0))
    .map(({ pattern, conclusion }) => {
      let truePositives = 0;
      let falsePositives = 0;
      let falseNegatives = 0;
      const instances = new Set<string>();
      const detected = new Set<string>();
      for (const entry of expected) {
        const home = majority.get(entry.expectedId);
        const flagged = home !== undefined && (verdictsOf.get(home)?.has(conclusion) ?? false);
        const member = entry.tags.filter(
          (t) => t.pattern === pattern && t.conclusion === conclusion,
        );
        for (const tag of member) instances.add(tag.instance);
        if (member.length === 0) {
          if (flagged) falsePositives += 1;
          continue;
        }
        if (!flagged) {
          falseNegatives += 1;
          continue;
        }
        truePositives += 1;
        for (const tag of member) detected.add(tag.instance);
      }
      const flaggedTotal = truePositives + falsePositives;
      return {
        pattern,
        conclusion,
        truePositives,
        falsePositives,
        falseNegatives,
        precision: flaggedTotal === 0 ? null : truePositives / flaggedTotal,
        recall: truePositives / (truePositives + falseNegatives),
        instances: instances.size,
        instancesDetected: detected.size,
      };
    });
}
