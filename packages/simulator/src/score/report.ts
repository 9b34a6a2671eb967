/** Precision/recall over pairs of records: do two records share a session? */
export interface PairwiseScore {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  /** Pairs together both in the truth and in the prediction. */
  readonly truePairs: number;
  readonly predictedPairs: number;
  readonly expectedPairs: number;
}

/** Conclusion confusion: rows are expected conclusions, columns predicted ones. */
export interface ConfusionMatrix {
  readonly expected: readonly string[];
  readonly predicted: readonly string[];
  /** `counts[expected][predicted]`, zero cells omitted. */
  readonly counts: Readonly<Record<string, Readonly<Record<string, number>>>>;
  readonly correct: number;
  readonly total: number;
  readonly accuracy: number;
}

/** How well one conclusion finds the sessions of one entity pattern (see scorePatterns). */
export interface PatternScore {
  readonly pattern: string;
  readonly conclusion: string;
  /** Pattern sessions whose predicted session carries the conclusion. */
  readonly truePositives: number;
  /** Sessions outside the pattern whose predicted session carries it. */
  readonly falsePositives: number;
  /** Pattern sessions whose predicted session does not carry it (or that are missing). */
  readonly falseNegatives: number;
  /** Null when the conclusion was never drawn. */
  readonly precision: number | null;
  readonly recall: number;
  /** Pattern instances (rings, bursts) in the truth, and those with at least one session found. */
  readonly instances: number;
  readonly instancesDetected: number;
}

/** Everything `weft score` reports; see packages/simulator/README.md for the definitions. */
export interface ScoreReport {
  readonly totals: {
    readonly truthSessions: number;
    readonly expectedSessions: number;
    readonly truthRecords: number;
    readonly predictedSessions: number;
    readonly predictedRecords: number;
  };
  readonly assignment: {
    readonly pairwise: PairwiseScore;
    /** Records of expected sessions found in some predicted session / all of them. */
    readonly coverage: number;
    readonly missingRecords: number;
    /** Records of predicted sessions without a readable `_sim` tag, or unknown to the truth. */
    readonly unknownRecords: number;
    /** Extra occurrences of a record inside one predicted session (duplicate not removed). */
    readonly duplicateCounted: number;
    /** Records present in more than one predicted session. */
    readonly multiplyAssigned: number;
  };
  readonly splitMerge: {
    /** Expected sessions whose records are spread over more than one predicted session. */
    readonly splitErrors: number;
    /** Predicted sessions beyond the first for those expected sessions. */
    readonly extraFragments: number;
    /** Predicted sessions holding records of more than one true session. */
    readonly mergeErrors: number;
    /** True sessions the truth marks `split` (crash/resume beyond the gap). */
    readonly expectedSplits: number;
    /** …whose parts ended in different predicted sessions, as expected. */
    readonly expectedSplitsHonored: number;
    /** …whose parts ended in one predicted session (not an ordinary merge error). */
    readonly expectedSplitsMerged: number;
  };
  readonly orphans: {
    readonly expected: number;
    readonly unattached: number;
    readonly attached: number;
  };
  readonly deadLetters: { readonly expected: number; readonly inSessions: number };
  readonly conclusions: ConfusionMatrix;
  /** Entity-pattern conclusions (fraud rings, card-testing bursts); empty when the truth has no patterns. */
  readonly patterns: readonly PatternScore[];
}
