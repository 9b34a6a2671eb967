import type { FieldValue } from '@weft/templates';
import { z } from 'zod';
import type { Executor, StoreDialect } from '../dialect/dialect.js';
import { StorageValidationError } from '../errors.js';
import type { Scalar } from '../sessions/search-query.js';
import { searchSessions } from '../sessions/session-search.js';
import { getTemplate } from '../templates.js';
import { FeatureHistoryQuerySchema, parseInput } from './entity-inputs.js';

/** A feature-history request: one entity, a start-time range [from, to), newest first, paged. */
export type FeatureHistoryQuery = z.input<typeof FeatureHistoryQuerySchema>;

/** One session of the entity and the `entity.<kind>.*` feature values it carried, by feature name. */
export interface FeaturePoint {
  sessionId: string;
  businessKey: string;
  start: number;
  end: number;
  /** The session's verdict (conclusion id), or null. */
  verdict: string | null;
  features: Record<string, FieldValue>;
}

/** One page of an entity's sessions, newest first; `field` is the session field matched against the key. */
export interface FeatureHistoryPage {
  field: string;
  points: FeaturePoint[];
  nextCursor?: string;
}

/** The part of a stored template definition this reads: which field holds each entity kind's key. */
const DeclaredKindsSchema = z.object({
  entities: z.object({
    kinds: z.array(z.object({ id: z.string(), field: z.string() })),
  }),
});

/**
 * The sessions of one entity (those whose entity field equals its key),
 * newest first, each with the feature values it was evaluated with (its
 * fields named `entity.<kind>.<feature>`). A session search underneath: the
 * entity field's value index finds the sessions newest first, the page's
 * summaries carry their fields.
 *
 * @example await store.entities.featureHistory({ templateId: 'order', kind: 'account', key: 'A1', from, to, limit: 200 })
 */
export async function entityFeatureHistory(
  dialect: StoreDialect,
  input: FeatureHistoryQuery,
): Promise<FeatureHistoryPage> {
  const query = parseInput(FeatureHistoryQuerySchema, input, 'entity feature history query');
  const field = query.field ?? (await declaredField(dialect.db, query.templateId, query.kind));
  const values = await keyValues(dialect.db, query.templateId, field, query.key);
  if (values.length === 0) return { field, points: [] };
  const page = await searchSessions(dialect, {
    templateId: query.templateId,
    where: [{ field, op: 'in', value: values }],
    from: query.from,
    to: query.to,
    limit: query.limit,
    cursor: query.cursor,
  });
  const prefix = `entity.${query.kind}.`;
  const points = page.sessions.map((s) => ({
    sessionId: s.sessionId,
    businessKey: s.businessKey,
    start: s.start,
    end: s.end,
    verdict: s.verdict?.conclusion ?? null,
    features: Object.fromEntries(
      Object.entries(s.fields)
        .filter(([name]) => name.startsWith(prefix))
        .map(([name, value]) => [name.slice(prefix.length), value]),
    ),
  }));
  return page.nextCursor === undefined
    ? { field, points }
    : { field, points, nextCursor: page.nextCursor };
}

/** The field the template's newest stored version declares for `kind`. */
async function declaredField(executor: Executor, templateId: string, kind: string) {
  const template = await getTemplate(executor, templateId);
  if (template === undefined)
    throw new StorageValidationError(
      `Template "${templateId}" is not stored, so the field of entity kind "${kind}" is unknown: save the template or pass the field as \`field\`.`,
    );
  const parsed = DeclaredKindsSchema.safeParse(template.definition);
  const kinds = parsed.success ? parsed.data.entities.kinds : [];
  const declared = kinds.find((k) => k.id === kind);
  if (declared === undefined)
    throw new StorageValidationError(
      `Template "${templateId}" (version ${template.version}) declares no entity kind "${kind}" ` +
        `(declared: ${kinds.map((k) => k.id).join(', ') || 'none'}): use a declared kind or pass the field as \`field\`.`,
    );
  return declared.field;
}

/**
 * The stored values an entity key can be: the key is text (the engine keys
 * entities by `String(value)`), the field may hold numbers or booleans, as
 * the field catalog tells.
 */
async function keyValues(
  executor: Executor,
  templateId: string,
  field: string,
  key: string,
): Promise<Scalar[]> {
  const rows = await executor
    .selectFrom('field_catalog')
    .select('value_kind')
    .where('template_id', '=', templateId)
    .where('field', '=', field)
    .execute();
  const kinds = new Set(rows.map((row) => row.value_kind));
  const values: Scalar[] = [];
  if (kinds.has('s') || kinds.has('l')) values.push(key);
  if (kinds.has('n') && key !== '' && String(Number(key)) === key) values.push(Number(key));
  if (kinds.has('b') && (key === 'true' || key === 'false')) values.push(key === 'true');
  return values;
}
