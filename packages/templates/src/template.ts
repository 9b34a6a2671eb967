import { z } from 'zod';
import { EntitiesSchema } from './entities.js';
import { EXPRESSION_LIMITS } from './limits.js';
import { DurationSchema, IdentifierSchema, OffsetSchema } from './schema-primitives.js';
import { SeveritySchema } from './session.js';

export { DurationSchema, IdentifierSchema, OffsetSchema } from './schema-primitives.js';

/**
 * The analysis template: one typed description of a business session. These
 * zod schemas are the single source of truth (types, validation, JSON Schema).
 * Shape only: cross-references, CEL type checks and duration sanity live in
 * `validate.ts`. Durations are normalised to integer milliseconds here, so the
 * parsed `Template` never contains a unit string.
 */

/** A template id: lowercase words joined by `-` or `_`, e.g. `in-app-purchase`. */
export const TemplateIdSchema = z.string().regex(/^[a-z][a-z0-9_-]{0,63}$/, {
  error: 'use lowercase letters, digits, - and _ (start with a letter, at most 64 characters)',
});

/** A CEL expression (see README "CEL environment"); type-checked by validateTemplate. */
export const ExpressionSchema = z
  .string()
  .trim()
  .min(1, { error: 'the expression is empty' })
  .max(EXPRESSION_LIMITS.maxLength, {
    error: (issue) =>
      `the expression is ${String((issue.input as string).length)} characters; the limit is ${EXPRESSION_LIMITS.maxLength}: split it into derived fields`,
  });

export const FieldTypeSchema = z.enum(['string', 'number', 'boolean', 'timestamp']);
export type FieldType = z.infer<typeof FieldTypeSchema>;

export const TimeEncodingSchema = z.enum(['epoch_ms', 'epoch_s', 'iso8601']);
export type TimeEncoding = z.infer<typeof TimeEncodingSchema>;

/** A dot path into the raw JSON record, e.g. `account.device_id` or `hits.0`. */
export const RawPathSchema = z.string().regex(/^[A-Za-z0-9_$-]+(\.[A-Za-z0-9_$-]+)*$/, {
  error: 'use a dot path into the raw record such as "account.device_id"',
});

/**
 * One named field extracted from a raw record: exactly one of `path` (dot path
 * into the raw JSON) or `expr` (CEL over `raw`). `number` parses numeric
 * strings (`"6.00"` → 6); `timestamp` is stored as epoch milliseconds and
 * decoded with `encoding`.
 */
export const FieldSpecSchema = z
  .strictObject({
    path: RawPathSchema.optional().describe(
      'Dot path into the raw record, e.g. "account.device_id" (or give expr)',
    ),
    expr: ExpressionSchema.optional().describe(
      'CEL over raw, e.g. raw.hits.join(",") (instead of path)',
    ),
    type: FieldTypeSchema.describe(
      'number parses numeric strings ("6.00"); timestamp is stored as epoch ms',
    ),
    /** Timestamps only: how the raw value encodes time (default `epoch_ms` for numbers, ISO 8601 for strings). */
    encoding: TimeEncodingSchema.optional().describe(
      'Timestamps only (default: numbers epoch ms, strings ISO 8601)',
    ),
    /** A record without this field (or with a value that does not convert) is dead-lettered. */
    required: z
      .boolean()
      .default(false)
      .describe(
        'A record missing this field, or with a value that does not convert, is a dead letter',
      ),
    description: z.string().optional(),
  })
  .superRefine((field, ctx) => {
    if ((field.path === undefined) === (field.expr === undefined)) {
      ctx.addIssue({
        code: 'custom',
        message:
          'give exactly one of "path" (a dot path into the raw record) or "expr" (CEL over raw)',
      });
    }
    if (field.encoding !== undefined && field.type !== 'timestamp') {
      ctx.addIssue({
        code: 'custom',
        path: ['encoding'],
        message: `"encoding" applies to timestamp fields only; this field is ${field.type}`,
      });
    }
  });
export type FieldSpec = z.infer<typeof FieldSpecSchema>;

export const FieldsSchema = z.record(IdentifierSchema, FieldSpecSchema);

/** Where a record's event time is and how it is encoded. */
export const EventTimeSchema = z.strictObject({
  path: RawPathSchema.describe(
    'Dot path of the event time in the raw record, e.g. "ts" or "meta.time"',
  ),
  encoding: TimeEncodingSchema.describe(
    'How the raw value encodes time: epoch milliseconds, epoch seconds or ISO 8601',
  ),
});
export type EventTime = z.infer<typeof EventTimeSchema>;

/** Per-source watermark settings (bounded out-of-orderness and idleness). */
export const WatermarkSchema = z.strictObject({
  /** How far behind the newest event time a record may arrive and still be on time. */
  outOfOrderness: DurationSchema.default(5_000).describe(
    'How far behind the newest event time a record may arrive and still be on time (default 5s)',
  ),
  /** A source silent this long stops holding the watermark back. */
  idleTimeout: DurationSchema.default(60_000).describe(
    'A source silent this long stops holding the watermark back (default 1m)',
  ),
});
export type Watermark = z.infer<typeof WatermarkSchema>;

const eventSourceShape = {
  id: IdentifierSchema,
  label: z.string().optional(),
  description: z.string().optional(),
  format: z.literal('json').default('json'),
  time: EventTimeSchema,
  fields: FieldsSchema,
  watermark: WatermarkSchema.default({ outOfOrderness: 5_000, idleTimeout: 60_000 }),
};

export const KafkaSourceSchema = z.strictObject({
  ...eventSourceShape,
  kind: z.literal('kafka'),
  topic: z.string().min(1).describe('Kafka topic of JSON records, e.g. "weft.src.pay_done"'),
});
export const NdjsonSourceSchema = z.strictObject({
  ...eventSourceShape,
  kind: z.literal('ndjson'),
  /** A file, or a directory read as `<dir>/<source id>.ndjson`. */
  path: z
    .string()
    .min(1)
    .describe('An NDJSON file, or a directory read as <dir>/<source id>.ndjson'),
});
/** A SQL dimension table used by enrichment; `fields[*].path` is the column name. */
export const SqlSourceSchema = z.strictObject({
  id: IdentifierSchema,
  label: z.string().optional(),
  description: z.string().optional(),
  kind: z.literal('sql'),
  table: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/, {
    error: 'use a table name such as "item_catalog" or "dim.item_catalog"',
  }),
  fields: FieldsSchema,
});

export const SourceSchema = z.discriminatedUnion('kind', [
  KafkaSourceSchema,
  NdjsonSourceSchema,
  SqlSourceSchema,
]);
export type Source = z.infer<typeof SourceSchema>;
export type KafkaSource = z.infer<typeof KafkaSourceSchema>;
export type NdjsonSource = z.infer<typeof NdjsonSourceSchema>;
export type SqlSource = z.infer<typeof SqlSourceSchema>;
/** A source that produces timed records (Kafka or NDJSON), as opposed to a SQL dimension table. */
export type EventSource = KafkaSource | NdjsonSource;
export type SourceKind = Source['kind'];

/** One baseline step: records of `source` (passing `filter`) that carry the business key. */
export const BaselineNodeSchema = z.strictObject({
  id: IdentifierSchema,
  source: IdentifierSchema,
  label: z.string().min(1),
  description: z.string().optional(),
  /** CEL over `raw` and `f` (the source's fields); records where it is false are not this node. */
  filter: ExpressionSchema.optional().describe(
    'CEL over raw and f (the source fields): records where it is false are not this node',
  ),
});
export type BaselineNode = z.infer<typeof BaselineNodeSchema>;

/** When a session fires before the watermark closes it. */
export const EarlyFireSchema = z.union([
  z.strictObject({ all: z.literal(true) }),
  z.strictObject({ nodes: z.array(IdentifierSchema).min(1) }),
  z.strictObject({ expr: ExpressionSchema }),
]);
export type EarlyFire = z.infer<typeof EarlyFireSchema>;

export const BaselineSchema = z.strictObject({
  /** The business key: a field every baseline source extracts (e.g. `order_id`). */
  key: IdentifierSchema.describe(
    'The business key: a field every baseline source extracts, e.g. "order_id"',
  ),
  nodes: z.array(BaselineNodeSchema).min(1, { error: 'declare at least one baseline node' }),
  /** Event-time session gap: a record further than this from the session starts a new one. */
  gap: DurationSchema.describe('Event-time session gap, e.g. "20m"'),
  /**
   * Longest event-time span a session is expected to have. Sessions are not cut
   * at it: it bounds how long supplements, late records and entity features
   * wait on a session's behalf, so a longer session may miss some of them.
   */
  maxSpan: DurationSchema.describe(
    'Longest event-time span a session is expected to have, e.g. "2h" (at least the gap); sessions are not cut at it, but supplements, late records and entity features wait only this long for one',
  ),
  /** How long after the watermark passes a session late records are still reprocessed into it. */
  allowedLateness: DurationSchema.describe(
    'How long after the watermark passes a session late records are still reprocessed into it',
  ),
  /** Fire early (before the watermark) when this holds; default: all baseline nodes present. */
  earlyFire: EarlyFireSchema.default({ all: true }).describe(
    'Fire before the watermark: {"all": true} (default), {"nodes": [...]} or {"expr": "CEL"}',
  ),
  /** Processing-time timeout: fire an open session this long after its last record if the watermark stalls. */
  timeout: DurationSchema.describe(
    'Processing-time timeout: fire an open session this long after its last record when the watermark stalls',
  ),
});
export type Baseline = z.infer<typeof BaselineSchema>;

/** Session field `session` must equal record field `record` (both extracted field names). */
export const JoinKeySchema = z.strictObject({
  session: IdentifierSchema.describe('A session (baseline) field'),
  record: IdentifierSchema.describe('A field of the joined source'),
});
export type JoinKey = z.infer<typeof JoinKeySchema>;

/**
 * A supplementary node: records without the business key that attach to a
 * session when all `join` pairs match and the record's event time lies within
 * [anchor + lower, anchor + upper] (each end inclusive unless said otherwise).
 */
export const SupplementSchema = z.strictObject({
  id: IdentifierSchema,
  source: IdentifierSchema,
  label: z.string().min(1),
  description: z.string().optional(),
  filter: ExpressionSchema.optional(),
  join: z
    .array(JoinKeySchema)
    .min(1, { error: 'declare at least one join key pair' })
    .describe('Pairs that must all be equal; several pairs make a composite key'),
  /** The baseline node whose event time the bounds are relative to. */
  anchor: IdentifierSchema.describe(
    'The baseline node whose event time the bounds are relative to',
  ),
  lower: OffsetSchema.describe('Earliest record time relative to the anchor, e.g. "-1m"'),
  upper: OffsetSchema.describe('Latest record time relative to the anchor, e.g. "30m"'),
  lowerInclusive: z.boolean().default(true),
  upperInclusive: z.boolean().default(true),
  cardinality: z
    .enum(['one', 'many'])
    .default('one')
    .describe('one: the first matching record attaches; many: every matching record attaches'),
});
export type Supplement = z.infer<typeof SupplementSchema>;

/** A lookup in a SQL dimension table keyed by a session field; adds `fields` to the session. */
export const EnrichmentSchema = z.strictObject({
  id: IdentifierSchema,
  source: IdentifierSchema,
  on: JoinKeySchema,
  fields: z.array(IdentifierSchema).min(1, { error: 'name at least one field to add' }),
  cacheTtl: DurationSchema.describe('How long a looked-up row may be reused'),
});
export type Enrichment = z.infer<typeof EnrichmentSchema>;

/** An edge of the behavior tree an operator sees; `ordered`: `to` is expected at or after `from`. */
export const TreeEdgeSchema = z.strictObject({
  from: IdentifierSchema,
  to: IdentifierSchema,
  label: z.string().optional(),
  ordered: z.boolean().default(true).describe('"to" is expected at or after "from" in event time'),
});
export type TreeEdge = z.infer<typeof TreeEdgeSchema>;

export const TreeSchema = z.strictObject({
  edges: z.array(TreeEdgeSchema),
});
export type Tree = z.infer<typeof TreeSchema>;

/** A secondary field computed from the session (see README "CEL environment"). */
export const DerivedFieldSchema = z.strictObject({
  name: IdentifierSchema,
  type: FieldTypeSchema,
  expr: ExpressionSchema.describe(
    'CEL in the session scope: f, nodes, records, has_node, count, time, session',
  ),
  description: z.string().optional(),
});
export type DerivedField = z.infer<typeof DerivedFieldSchema>;

/** A conclusion model; the array order is the priority order (first that holds is the verdict). */
export const ConclusionSchema = z.strictObject({
  id: IdentifierSchema,
  label: z.string().min(1),
  severity: SeveritySchema,
  when: ExpressionSchema.describe(
    'CEL condition in the session scope, e.g. "f.paid && !has_node.delivery"',
  ),
  /** Text with `{{field}}` (a session field) or `{{cel expression}}` placeholders. */
  explanation: z.string().min(1).describe('Text with {{field}} or {{cel expression}} placeholders'),
});
export type Conclusion = z.infer<typeof ConclusionSchema>;

export const AggregationSchema = z.enum(['count', 'sum', 'avg', 'min', 'max', 'p50', 'p95', 'p99']);
export type Aggregation = z.infer<typeof AggregationSchema>;

/**
 * A dashboard field reference: a session field name, or a built-in prefixed
 * with `$` (`$conclusion`, `$severity`, `$duration_ms`, `$record_count`,
 * `$template_version`).
 */
export const FieldRefSchema = z
  .string()
  .regex(/^\$?[a-z][a-z0-9_]{0,63}$/, { error: 'use a session field name or a $built-in' });

export const MeasureSchema = z.strictObject({
  id: IdentifierSchema,
  label: z.string().optional(),
  agg: AggregationSchema,
  /** Required for every aggregation except `count`. */
  field: FieldRefSchema.optional(),
});
export type Measure = z.infer<typeof MeasureSchema>;

export const DashboardSchema = z.strictObject({
  id: IdentifierSchema,
  title: z.string().min(1),
  dimensions: z.array(FieldRefSchema),
  measures: z.array(MeasureSchema).min(1, { error: 'declare at least one measure' }),
});
export type Dashboard = z.infer<typeof DashboardSchema>;

export const TemplateStatusSchema = z.enum(['draft', 'published', 'retired']);
export type TemplateStatus = z.infer<typeof TemplateStatusSchema>;

export const TemplateSchema = z.strictObject({
  /** Editors may point at the exported JSON Schema; ignored otherwise. */
  $schema: z.string().optional(),
  id: TemplateIdSchema,
  name: z.string().min(1),
  description: z.string().default(''),
  /** Increases by one with every published change. */
  version: z.number().int().positive().describe('Increases by one with every published change'),
  status: TemplateStatusSchema,
  author: z.string().min(1),
  createdAt: z.iso.datetime({ offset: true }),
  updatedAt: z.iso.datetime({ offset: true }),
  sources: z.array(SourceSchema).min(1, { error: 'declare at least one source' }),
  baseline: BaselineSchema,
  supplements: z.array(SupplementSchema).default([]),
  enrichment: z.array(EnrichmentSchema).default([]),
  tree: TreeSchema.default({ edges: [] }),
  derived: z.array(DerivedFieldSchema).default([]),
  conclusions: z.array(ConclusionSchema).default([]),
  dashboards: z.array(DashboardSchema).default([]),
  /** Entity profiles: per-entity behaviour features and identity links (see `entities.ts`). */
  entities: EntitiesSchema.optional(),
});
/** A parsed, shape-valid template (durations in ms, defaults filled). */
export type Template = z.infer<typeof TemplateSchema>;
/** What an author writes (durations may be strings, defaults may be omitted). */
export type TemplateInput = z.input<typeof TemplateSchema>;
