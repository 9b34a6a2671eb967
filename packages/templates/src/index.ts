export { ExpressionError, TemplateError, TemplateValidationError } from './errors.js';
export {
  DeadLetterSchema,
  FieldValueSchema,
  FireReasonSchema,
  LateRecordSchema,
  OrphanSchema,
  RecordOriginSchema,
  SessionNodeSchema,
  SessionRecordSchema,
  SessionRetractionSchema,
  SessionSchema,
  SessionStatusSchema,
  SeveritySchema,
  VerdictSchema,
} from './session.js';
export type {
  DeadLetter,
  FieldValue,
  FireReason,
  LateRecord,
  Orphan,
  RecordOrigin,
  Session,
  SessionNode,
  SessionRecord,
  SessionRetraction,
  SessionStatus,
  Severity,
  Verdict,
} from './session.js';
export {
  EntitiesSchema,
  EntityAggregationSchema,
  EntityFeatureSchema,
  EntityKindSchema,
  FeatureWindowSchema,
  GraphAggregationSchema,
  isWindowed,
  MAX_ENTITY_HISTORY_MS,
  WindowedAggregationSchema,
} from './entities.js';
export type {
  Entities,
  EntityAggregation,
  EntityFeature,
  EntityKind,
  FeatureWindow,
} from './entities.js';
export {
  AggregationSchema,
  BaselineNodeSchema,
  BaselineSchema,
  ConclusionSchema,
  DashboardSchema,
  DerivedFieldSchema,
  DurationSchema,
  EarlyFireSchema,
  EnrichmentSchema,
  EventTimeSchema,
  ExpressionSchema,
  FieldRefSchema,
  FieldSpecSchema,
  FieldTypeSchema,
  FieldsSchema,
  IdentifierSchema,
  JoinKeySchema,
  KafkaSourceSchema,
  MeasureSchema,
  NdjsonSourceSchema,
  OffsetSchema,
  SourceSchema,
  SqlSourceSchema,
  SupplementSchema,
  TemplateIdSchema,
  TemplateSchema,
  TemplateStatusSchema,
  TimeEncodingSchema,
  TreeEdgeSchema,
  TreeSchema,
  WatermarkSchema,
} from './template.js';
export type {
  Aggregation,
  Baseline,
  BaselineNode,
  Conclusion,
  Dashboard,
  DerivedField,
  EarlyFire,
  Enrichment,
  EventSource,
  EventTime,
  FieldSpec,
  FieldType,
  JoinKey,
  KafkaSource,
  Measure,
  NdjsonSource,
  Source,
  SourceKind,
  SqlSource,
  Supplement,
  Template,
  TemplateInput,
  TemplateStatus,
  TimeEncoding,
  Tree,
  TreeEdge,
  Watermark,
} from './template.js';
export { formatDuration, parseDuration } from './duration.js';
export {
  EXPRESSION_LIMITS,
  SESSION_KEY_LIMITS,
  businessKeyLimit,
  codePointsOver,
} from './limits.js';
export type { TemplateIssue } from './issues.js';
export { indexTemplate, isEventSource } from './model.js';
export type { NodeInfo, SessionFieldInfo, TemplateIndex } from './model.js';
export { BUILTIN_FIELDS } from './check-dashboards.js';
export { loadTemplate, validateTemplate } from './validate.js';
export type { ValidationResult } from './validate.js';
export { compileExpression, toFieldValue } from './cel-compile.js';
export type { CompileOptions, CompiledExpression, Evaluation } from './cel-compile.js';
export { celTypeOf, recordEnvironment, sessionEnvironment } from './cel-environment.js';
export type {
  ExpressionEnvironment,
  ExpressionScope,
  SessionScopeSpec,
} from './cel-environment.js';
export { convertValue, decodeTime } from './convert.js';
export type { Conversion } from './convert.js';
export { compileExtractor, compilePath, compileRowExtractor } from './extract.js';
export type { Extraction, RecordExtractor, RowExtractor } from './extract.js';
export { ABSENT_TEXT, compileExplanation } from './explanation.js';
export type { CompiledExplanation } from './explanation.js';
export { compileTemplate, entityFieldName } from './program.js';
export type { CompiledTemplate, NodeRoute, SessionOutcome } from './program.js';
export { buildSessionVars } from './session-vars.js';
export type { EntityFeatureInput, RecordInput, SessionInput, SessionVars } from './session-vars.js';
export { sessionScope } from './scopes.js';
export type { SessionStage } from './scopes.js';
export { diffTemplates, formatChange } from './diff.js';
export type { TemplateChange, TemplateDiff } from './diff.js';
export { templateJsonSchema } from './json-schema.js';
