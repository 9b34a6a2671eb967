import { z } from 'zod';

/**
 * The business session as every Weft component sees it: produced by
 * @weft/engine, stored by @weft/storage, shown by apps/web, scored by the
 * simulator. It lives here, at the root of the dependency graph, so that no
 * package needs another's internals to speak about a session.
 *
 * Times are epoch milliseconds (integers). Field values are JSON-safe scalars.
 */

/** A scalar field value: what extraction, derivation and storage deal in. */
export const FieldValueSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);
export type FieldValue = z.infer<typeof FieldValueSchema>;

export const SeveritySchema = z.enum(['info', 'low', 'medium', 'high', 'critical']);
export type Severity = z.infer<typeof SeveritySchema>;

/**
 * Why a session version was emitted: `complete` (all baseline steps present),
 * `timeout` (processing-time timeout while the watermark stalled), `final`
 * (the watermark passed the session end), `late` (late-record reprocessing),
 * `merge` (a merge absorbed another session), `operator` (a person merged,
 * split or annotated it).
 */
export const FireReasonSchema = z.enum([
  'complete',
  'timeout',
  'final',
  'late',
  'merge',
  'operator',
]);
export type FireReason = z.infer<typeof FireReasonSchema>;

export const SessionStatusSchema = z.enum(['open', 'closed']);
export type SessionStatus = z.infer<typeof SessionStatusSchema>;

/** One raw record as received, with what the template extracted from it. */
export const SessionRecordSchema = z.object({
  /** Stable id: the same input record always gets the same id (dedup, idempotent replays). */
  recordId: z.string().min(1),
  source: z.string().min(1),
  eventTime: z.number().int(),
  /** The record exactly as received (parsed JSON). */
  raw: z.unknown(),
  fields: z.record(z.string(), FieldValueSchema),
  /** True when the record arrived behind the watermark and was attached by late reprocessing. */
  late: z.boolean().default(false),
});
export type SessionRecord = z.infer<typeof SessionRecordSchema>;

/** A node of the behavior tree: one baseline step or one supplement, with its records. */
export const SessionNodeSchema = z.object({
  node: z.string().min(1),
  kind: z.enum(['baseline', 'supplement']),
  records: z.array(SessionRecordSchema),
});
export type SessionNode = z.infer<typeof SessionNodeSchema>;

/** A conclusion model's verdict, with the explanation an operator reads. */
export const VerdictSchema = z.object({
  conclusion: z.string().min(1),
  label: z.string(),
  severity: SeveritySchema,
  explanation: z.string(),
  /** The field values the condition read, so that the verdict is explainable. */
  inputs: z.record(z.string(), FieldValueSchema),
});
export type Verdict = z.infer<typeof VerdictSchema>;

/** One version of a business session: downstream upserts it by (sessionId, version). */
export const SessionSchema = z.object({
  sessionId: z.string().min(1),
  templateId: z.string().min(1),
  templateVersion: z.number().int().positive(),
  businessKey: z.string(),
  /** Monotonically increasing per sessionId; a store never lets a lower version overwrite a higher one. */
  version: z.number().int().positive(),
  status: SessionStatusSchema,
  fireReason: FireReasonSchema,
  /** Event time of the earliest record. */
  start: z.number().int(),
  /** Event time of the latest record. */
  end: z.number().int(),
  nodes: z.array(SessionNodeSchema),
  /** Extracted key fields, enrichment and derived (secondary) fields, flat. */
  fields: z.record(z.string(), FieldValueSchema),
  /** Every conclusion whose condition held, in the template's priority order. */
  verdicts: z.array(VerdictSchema),
  /** The first of `verdicts`, or null when none held. */
  verdict: VerdictSchema.nullable(),
  /** Set when this session was absorbed by another (merge); the stored row points there. */
  mergedInto: z.string().nullable().default(null),
});
export type Session = z.infer<typeof SessionSchema>;

/** Emitted when a merge absorbs a session that had already been emitted. */
export const SessionRetractionSchema = z.object({
  sessionId: z.string().min(1),
  templateId: z.string().min(1),
  mergedInto: z.string().min(1),
  /** The retracted session's next version (so stores can apply it with the usual version rule). */
  version: z.number().int().positive(),
});
export type SessionRetraction = z.infer<typeof SessionRetractionSchema>;

/** A supplementary record that found no session within its bounds. */
export const OrphanSchema = z.object({
  templateId: z.string().min(1),
  node: z.string().min(1),
  record: SessionRecordSchema,
  /** The join key values it was looked up by. */
  keys: z.record(z.string(), FieldValueSchema),
});
export type Orphan = z.infer<typeof OrphanSchema>;

/** Where a raw input came from, for dead letters and exactly-once bookkeeping. */
export const RecordOriginSchema = z.object({
  topic: z.string().optional(),
  partition: z.number().int().optional(),
  offset: z.string().optional(),
  file: z.string().optional(),
  line: z.number().int().optional(),
});
export type RecordOrigin = z.infer<typeof RecordOriginSchema>;

/** An input that could not be used, with the reason and the bytes as received. */
export const DeadLetterSchema = z.object({
  templateId: z.string().nullable(),
  source: z.string(),
  reason: z.string().min(1),
  raw: z.string(),
  origin: RecordOriginSchema,
  /** Processing time when it was dead-lettered. */
  at: z.number().int(),
});
export type DeadLetter = z.infer<typeof DeadLetterSchema>;

/** A record behind the watermark, with the context the late-data reprocessor needs. */
export const LateRecordSchema = z.object({
  templateId: z.string().min(1),
  templateVersion: z.number().int().positive(),
  node: z.string().min(1),
  kind: z.enum(['baseline', 'supplement']),
  /** Business key (baseline) or join key values (supplement) to find the stored session by. */
  keys: z.record(z.string(), FieldValueSchema),
  record: SessionRecordSchema,
});
export type LateRecord = z.infer<typeof LateRecordSchema>;
