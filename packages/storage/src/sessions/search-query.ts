import { z } from 'zod';
import { StorageValidationError } from '../errors.js';
import { FieldNameSchema } from '../rollups/rollup-spec.js';
import { INDEXED_STRING_CHARS } from './session-converters.js';

const ScalarSchema = z.union([
  z.string().refine(isWellFormed, 'strings must be well-formed Unicode'),
  z.number().refine(Number.isFinite, 'numbers must be finite'),
  z.boolean(),
  z.null(),
]);
export type Scalar = z.infer<typeof ScalarSchema>;

const IndexedString = z
  .string()
  .refine((s) => Array.from(s).length <= INDEXED_STRING_CHARS, {
    message: `only the first ${INDEXED_STRING_CHARS} characters of a value are indexed: search longer values with prefix`,
  })
  .refine(isWellFormed, 'strings must be well-formed Unicode');

const EqualitySchema = z
  .union([IndexedString, ScalarSchema])
  .refine(
    (v) => typeof v !== 'string' || Array.from(v).length <= INDEXED_STRING_CHARS,
    `only the first ${INDEXED_STRING_CHARS} characters of a value are indexed: search longer values with prefix`,
  );
const OrderedSchema = z.union([
  IndexedString,
  z.number().refine(Number.isFinite, 'numbers must be finite'),
]);

/** One `field op value` condition; every condition of a search must hold (conjunction). */
export const PredicateSchema = z.discriminatedUnion('op', [
  z.object({ field: FieldNameSchema, op: z.literal('='), value: EqualitySchema }),
  z.object({ field: FieldNameSchema, op: z.literal('!='), value: EqualitySchema }),
  z.object({ field: FieldNameSchema, op: z.enum(['<', '<=', '>', '>=']), value: OrderedSchema }),
  z.object({
    field: FieldNameSchema,
    op: z.literal('prefix'),
    value: IndexedString.pipe(z.string().min(1)),
  }),
  z.object({
    field: FieldNameSchema,
    op: z.literal('in'),
    value: z.array(EqualitySchema).min(1).max(100),
  }),
]);
export type Predicate = z.infer<typeof PredicateSchema>;

/**
 * A micro query: conjunctive field conditions plus template, start-time range
 * [from, to), verdict (a conclusion id, or null for "no verdict"), newest
 * first, `limit` per page, `cursor` from the previous page.
 *
 * @example { templateId: 'order', where: [{ field: 'channel', op: '=', value: 'app' },
 *            { field: 'amount', op: '>=', value: 1000 }], limit: 20 }
 */
export const SearchQuerySchema = z.object({
  templateId: z.string().min(1).max(128).optional(),
  where: z.array(PredicateSchema).max(8).default([]),
  from: z.number().int().optional(),
  to: z.number().int().optional(),
  verdict: z.string().min(1).max(128).nullable().optional(),
  includeMerged: z.boolean().default(false),
  limit: z.number().int().min(1).max(500).default(50),
  cursor: z.string().max(1000).optional(),
});
export type SearchQuery = z.input<typeof SearchQuerySchema>;
export type ParsedSearchQuery = z.output<typeof SearchQuerySchema>;

/** Where the previous page ended: the last (start, sessionId) returned. */
export interface SearchCursor {
  start: number;
  sessionId: string;
}

const CursorSchema = z.tuple([z.number().int(), z.string().min(1).max(191)]);

export function parseSearchQuery(input: unknown): ParsedSearchQuery & { after?: SearchCursor } {
  const parsed = SearchQuerySchema.safeParse(input);
  if (!parsed.success) {
    throw new StorageValidationError(
      `Invalid session search: ${parsed.error.issues
        .map((issue) => `${issue.path.join('.') || 'query'}: ${issue.message}`)
        .join('; ')}.`,
    );
  }
  if (parsed.data.cursor === undefined) return parsed.data;
  return { ...parsed.data, after: decodeCursor(parsed.data.cursor) };
}

export function encodeCursor(cursor: SearchCursor): string {
  return Buffer.from(JSON.stringify([cursor.start, cursor.sessionId])).toString('base64url');
}

function decodeCursor(cursor: string): SearchCursor {
  try {
    const [start, sessionId] = CursorSchema.parse(
      JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')),
    );
    return { start, sessionId };
  } catch {
    throw new StorageValidationError(
      `Invalid search cursor "${cursor.slice(0, 40)}": pass back the nextCursor of the previous page unchanged.`,
    );
  }
}

function isWellFormed(text: string): boolean {
  return !/\p{Cs}/u.test(text);
}
