import { SeveritySchema } from '@weft/templates';
import { z } from 'zod';
import { InvalidInputError } from './errors.js';

/** One session a correct correlator should emit: a whole true session, or one part of a split one. */
export const ExpectedSessionSchema = z.object({
  id: z.string().min(1),
  records: z.array(z.string().min(1)),
  conclusion: z.string().nullable(),
  severity: SeveritySchema.nullable(),
});
export type ExpectedSession = z.infer<typeof ExpectedSessionSchema>;

/** Which entity pattern instance a session belongs to and the conclusion meant to detect it. */
export const PatternTagSchema = z.object({
  pattern: z.string().min(1),
  instance: z.string().min(1),
  conclusion: z.string().min(1),
});
export type PatternTagTruth = z.infer<typeof PatternTagSchema>;

/**
 * One line of `truth.ndjson`: a true business session (`kind: "session"`), an
 * orphan supplement record (`"orphan"`) or a malformed line (`"dead_letter"`).
 * Orphans and dead letters expect no session (`expected: []`).
 */
export const TruthSessionSchema = z.object({
  session: z.string().min(1),
  scenario: z.string().min(1),
  kind: z.enum(['session', 'orphan', 'dead_letter']),
  businessKey: z.string().nullable(),
  /**
   * Expected conclusion of the whole true session. For a split session: the rules over all its
   * records, or when none holds (steps logged again after a resume) the last part's conclusion.
   */
  conclusion: z.string().nullable(),
  severity: SeveritySchema.nullable(),
  /** Every record id (`_sim.record`) of this entry; each id is in exactly one truth line. */
  records: z.array(z.string().min(1)),
  /** Named faults that shaped this entry. */
  faults: z.array(z.string()),
  flags: z.object({
    split: z.boolean(),
    orphan: z.boolean(),
    deadLetter: z.boolean(),
    /** Record ids delivered far behind the watermark. */
    late: z.array(z.string()),
    /** Record ids whose line was written twice. */
    duplicated: z.array(z.string()),
    /** Record ids logged by a skewed clock. */
    skewed: z.array(z.string()),
  }),
  /** The sessions a correct correlator emits for this entry (two when split, none for orphans and dead letters). */
  expected: z.array(ExpectedSessionSchema),
  /** For dead letters: the source whose stream carries the line and how it is malformed. */
  source: z.string().optional(),
  malformation: z.enum(['bad_json', 'missing_time', 'wrong_type']).optional(),
  /** Entity patterns (fraud ring, card-testing burst) the session belongs to; absent when none. */
  patterns: z.array(PatternTagSchema).optional(),
});
export type TruthSession = z.infer<typeof TruthSessionSchema>;

/**
 * Parses the lines of a truth.ndjson file. Example:
 * `parseTruthLines(readFileSync(path, 'utf8').split('\n'))`.
 */
export function* parseTruthLines(lines: Iterable<string>): Generator<TruthSession> {
  let lineNumber = 0;
  for (const line of lines) {
    lineNumber += 1;
    if (line.trim() === '') continue;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (error) {
      throw new InvalidInputError(
        `truth line ${String(lineNumber)} is not JSON (${(error as Error).message}); pass the truth.ndjson written by weft simulate.`,
      );
    }
    const parsed = TruthSessionSchema.safeParse(json);
    if (!parsed.success) {
      throw new InvalidInputError(
        `truth line ${String(lineNumber)} is not a truth entry: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}.`,
      );
    }
    yield parsed.data;
  }
}
