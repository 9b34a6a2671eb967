import { z } from 'zod';
import type { Executor, StoreDialect } from './dialect/dialect.js';
import { StorageValidationError } from './errors.js';

/**
 * A stored template version. The definition is the template JSON exactly as
 * @weft/templates produced it; storage only reads its id, version and status.
 */
export interface StoredTemplate {
  templateId: string;
  version: number;
  status: string;
  definition: unknown;
  createdAt: number;
}

const TemplateVersionSchema = z.object({
  templateId: z.string().min(1).max(128),
  version: z.number().int().positive(),
  status: z.string().min(1).max(16),
  definition: z.unknown(),
});
export type TemplateVersionInput = z.input<typeof TemplateVersionSchema>;

/**
 * Saves one template version; saving the same (id, version) again replaces
 * its status and definition (drafts are edited in place until published).
 *
 * @example await store.templates.save({ templateId: 'order', version: 2, status: 'published', definition })
 */
export async function saveTemplate(
  dialect: StoreDialect,
  input: TemplateVersionInput,
): Promise<void> {
  const parsed = TemplateVersionSchema.safeParse(input);
  if (!parsed.success) {
    throw new StorageValidationError(
      `Invalid template version: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}.`,
    );
  }
  const { templateId, version, status, definition } = parsed.data;
  await dialect.upsert(
    dialect.db,
    'templates',
    [
      {
        template_id: templateId,
        version,
        status,
        definition_json: JSON.stringify(definition ?? null),
        created_at: Date.now(),
      },
    ],
    ['template_id', 'version'],
    ['status', 'definition_json'],
  );
}

/** One version of a template, or its highest version when `version` is omitted. */
export async function getTemplate(
  executor: Executor,
  templateId: string,
  version?: number,
): Promise<StoredTemplate | undefined> {
  let query = executor.selectFrom('templates').selectAll().where('template_id', '=', templateId);
  if (version !== undefined) query = query.where('version', '=', version);
  const row = await query.orderBy('version', 'desc').limit(1).executeTakeFirst();
  return row === undefined ? undefined : toTemplate(row);
}

/** The highest version of every template, by id. */
export async function listTemplates(executor: Executor): Promise<StoredTemplate[]> {
  const rows = await executor
    .selectFrom('templates')
    .selectAll()
    .orderBy('template_id')
    .orderBy('version', 'desc')
    .execute();
  const latest = new Map<string, StoredTemplate>();
  for (const row of rows)
    if (!latest.has(row.template_id)) latest.set(row.template_id, toTemplate(row));
  return [...latest.values()];
}

/** Every stored version of one template, newest first. */
export async function listTemplateVersions(
  executor: Executor,
  templateId: string,
): Promise<StoredTemplate[]> {
  const rows = await executor
    .selectFrom('templates')
    .selectAll()
    .where('template_id', '=', templateId)
    .orderBy('version', 'desc')
    .execute();
  return rows.map(toTemplate);
}

function toTemplate(row: {
  template_id: string;
  version: number;
  status: string;
  definition_json: string;
  created_at: number;
}): StoredTemplate {
  return {
    templateId: row.template_id,
    version: Number(row.version),
    status: row.status,
    definition: JSON.parse(row.definition_json) as unknown,
    createdAt: Number(row.created_at),
  };
}
