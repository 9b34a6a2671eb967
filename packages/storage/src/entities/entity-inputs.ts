import { z } from 'zod';
import { StorageValidationError } from '../errors.js';

/** Most characters of an entity key: the indexed width of a field value, 1,020 bytes in the VARBINARY key columns of migration 0009. */
export const ENTITY_KEY_MAX_CHARS = 255;
/** Most UTF-8 bytes of one entity's state: under TiDB's default 6 MB per-entry limit. */
export const ENTITY_STATE_MAX_BYTES = 4 * 1024 * 1024;

const TemplateIdSchema = z.string().min(1).max(128);

/**
 * An entity kind as templates declare it (`account`, `device`); a leading
 * `$` marks a writer's own bookkeeping row (e.g. the profile store's
 * frontier as kind `$store`), which no template can declare.
 */
const KindSchema = z
  .string()
  .regex(
    /^\$?[a-z][a-z0-9_]{0,62}$/u,
    'use the entity kind as the template declares it: lowercase letters, digits and _, starting with a letter (a leading $ for bookkeeping rows)',
  );

const KeySchema = z
  .string()
  .refine((key) => !/\p{Cs}/u.test(key), 'entity keys must be well-formed Unicode')
  .refine(
    (key) => Array.from(key).length <= ENTITY_KEY_MAX_CHARS,
    `entity keys are at most ${ENTITY_KEY_MAX_CHARS} characters, the indexed width of a field value`,
  );

/** The writer's checkpoint version (the correlator's epoch × 1,000,000 + job version). */
const VersionSchema = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);
const TimeSchema = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** One entity: its kind and its key (the entity field's value, as text). */
export const EntityRefSchema = z.object({ kind: KindSchema, key: KeySchema });

export const EntityStateInputSchema = z.object({
  templateId: TemplateIdSchema,
  kind: KindSchema,
  key: KeySchema,
  /** The state's format, e.g. the engine's `weft.profiles/1`. */
  format: z.string().min(1).max(64),
  version: VersionSchema,
  /** The engine's state as JSON text, stored and returned unchanged; null forgets the entity. */
  state: z
    .string()
    .min(1)
    .refine(
      (state) => Buffer.byteLength(state, 'utf8') <= ENTITY_STATE_MAX_BYTES,
      `one entity's state is at most ${ENTITY_STATE_MAX_BYTES} bytes: compact the entity before saving it`,
    )
    .nullable(),
});

export const IdentityEdgeInputSchema = z
  .object({
    templateId: TemplateIdSchema,
    a: EntityRefSchema,
    b: EntityRefSchema,
    firstSeen: TimeSchema,
    lastSeen: TimeSchema,
    /** Sessions that linked the pair, as the writer counts them: a total, not a delta. */
    sessions: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
    version: VersionSchema,
  })
  .refine((edge) => edge.firstSeen <= edge.lastSeen, {
    message: 'firstSeen must not be after lastSeen',
    path: ['firstSeen'],
  })
  .refine((edge) => edge.a.kind !== edge.b.kind || edge.a.key !== edge.b.key, {
    message: 'an edge links two different entities: a and b are the same',
    path: ['b'],
  });

/** An entity the identity graph has seen, and the newest session time it was seen at (alone or with others). */
export const IdentityNodeInputSchema = z.object({
  templateId: TemplateIdSchema,
  kind: KindSchema,
  key: KeySchema,
  lastSeen: TimeSchema,
  version: VersionSchema,
});

export const IdentityNodePageQuerySchema = z.object({
  templateId: TemplateIdSchema,
  /** Only nodes last seen at or after this time (e.g. newest − the graph's retention). */
  seenSince: TimeSchema.optional(),
  limit: z.number().int().min(1).max(1000).default(500),
  cursor: z.string().max(4000).optional(),
});

export const EntityStatePageQuerySchema = z.object({
  templateId: TemplateIdSchema,
  kind: KindSchema.optional(),
  limit: z.number().int().min(1).max(1000).default(500),
  cursor: z.string().max(4000).optional(),
});

export const IdentityEdgePageQuerySchema = z.object({
  templateId: TemplateIdSchema,
  /** Only edges last seen at or after this time (e.g. newest − the graph's retention). */
  seenSince: TimeSchema.optional(),
  limit: z.number().int().min(1).max(1000).default(500),
  cursor: z.string().max(4000).optional(),
});

export const NeighboursQuerySchema = z.object({
  templateId: TemplateIdSchema,
  kind: KindSchema,
  key: KeySchema,
  /** Hops from the entity: 1 (its direct links) to 3. */
  depth: z.number().int().min(1).max(3).default(1),
  /** Most nodes returned, the entity itself included. */
  limit: z.number().int().min(1).max(500).default(100),
});

export const FeatureHistoryQuerySchema = z.object({
  templateId: TemplateIdSchema,
  kind: KindSchema,
  key: KeySchema,
  /** The session field holding the key; default: the field the template's newest stored version declares for `kind`. */
  field: z.string().min(1).max(191).optional(),
  from: z.number().int().optional(),
  to: z.number().int().optional(),
  limit: z.number().int().min(1).max(500).default(100),
  cursor: z.string().max(1000).optional(),
});

/** Parses `input` or throws a StorageValidationError naming every bad field and what it needs. */
export function parseInput<S extends z.ZodType>(
  schema: S,
  input: unknown,
  what: string,
): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new StorageValidationError(
    `Invalid ${what}: ${parsed.error.issues
      .map((issue) => `${issue.path.join('.') || 'input'}: ${issue.message}`)
      .join('; ')}.`,
  );
}

/** Parses every item of a batch, naming the item's position in the message. */
export function parseBatch<S extends z.ZodType>(
  schema: S,
  input: unknown,
  what: string,
): z.output<S>[] {
  if (!Array.isArray(input))
    throw new StorageValidationError(`Invalid ${what} batch: pass an array.`);
  return input.map((item: unknown, i) => parseInput(schema, item, `${what} [${i}]`));
}
