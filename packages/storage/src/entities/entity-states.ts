import type { z } from 'zod';
import type { StoreDialect } from '../dialect/dialect.js';
import type { EntityStatesTable } from '../schema.js';
import type { StoredEntityState, VersionedSaveResult } from './entity-converters.js';
import { keyText, rowToEntityState } from './entity-converters.js';
import {
  EntityStateInputSchema,
  EntityStatePageQuerySchema,
  parseBatch,
  parseInput,
} from './entity-inputs.js';
import { afterEntityKey, pageOf } from './keyset-cursor.js';
import { allPages, groupBy, saveVersioned } from './versioned-save.js';

/** One entity's state to save; `state: null` forgets the entity (loads skip it, older saves cannot revive it). */
export type EntityStateInput = z.input<typeof EntityStateInputSchema>;
type ParsedState = z.output<typeof EntityStateInputSchema>;
/** A page request of `entityStates.page`: one template, optionally one kind, in (kind, key) order. */
export type EntityStatePageQuery = z.input<typeof EntityStatePageQuerySchema>;

/** One page of entity states; `nextCursor` is absent on the last page. */
export interface EntityStatePage {
  states: StoredEntityState[];
  nextCursor?: string;
}

const UPDATED = ['format', 'version', 'state_json', 'updated_at'] as const;

/**
 * Saves entity states, each replacing its stored row only when its version
 * is higher (see saveVersioned): replays and stale writers change nothing
 * and are counted as `stale`.
 *
 * @example await store.entityStates.save([{ templateId: 'order', kind: 'account',
 *   key: 'A1', format: 'weft.profiles/1', version: 2_000_017, state: json }])
 */
export async function saveEntityStates(
  dialect: StoreDialect,
  input: readonly EntityStateInput[],
): Promise<VersionedSaveResult> {
  const states = parseBatch(EntityStateInputSchema, input, 'entity state');
  const now = Date.now();
  return saveVersioned<ParsedState, { version: number }, EntityStatesTable>(dialect, states, {
    name: 'entity_states',
    keys: ['template_id', 'kind', 'entity_key'],
    updated: UPDATED,
    identity: (s) => JSON.stringify([s.templateId, s.kind, s.key]),
    version: (s) => s.version,
    row: (s) => ({
      template_id: s.templateId,
      kind: s.kind,
      entity_key: s.key,
      format: s.format,
      version: s.version,
      state_json: s.state,
      updated_at: now,
    }),
    describe: (row) =>
      `entity state (template ${JSON.stringify(row.template_id)}, kind ${JSON.stringify(row.kind)}, ` +
      `key ${JSON.stringify(keyText(row.entity_key))})`,
    async lock(trx, slice) {
      const stored = new Map<string, { version: number }>();
      for (const group of groupBy(slice, (s) => JSON.stringify([s.templateId, s.kind]))) {
        const { templateId, kind } = group[0] as ParsedState;
        const rows = await dialect
          .forUpdate(
            trx
              .selectFrom('entity_states')
              .select(['entity_key', 'version'])
              .where('template_id', '=', templateId)
              .where('kind', '=', kind)
              .where(
                'entity_key',
                'in',
                group.map((s) => s.key),
              ),
          )
          .execute();
        for (const row of rows)
          stored.set(JSON.stringify([templateId, kind, keyText(row.entity_key)]), {
            version: Number(row.version),
          });
      }
      return stored;
    },
  });
}

/**
 * One page of a template's entity states (optionally one kind) in (kind,
 * key) order, forgotten entities left out. Keyset-paged: pass `nextCursor`
 * back as `cursor`.
 *
 * @example const { states, nextCursor } = await store.entityStates.page({ templateId: 'order', limit: 500 })
 */
export async function pageEntityStates(
  dialect: StoreDialect,
  input: EntityStatePageQuery,
): Promise<EntityStatePage> {
  const query = parseInput(EntityStatePageQuerySchema, input, 'entity state page query');
  let select = dialect.db
    .selectFrom('entity_states')
    .select(['template_id', 'kind', 'entity_key', 'format', 'version', 'state_json', 'updated_at'])
    .where('template_id', '=', query.templateId)
    .where('state_json', 'is not', null);
  if (query.kind !== undefined) select = select.where('kind', '=', query.kind);
  if (query.cursor !== undefined) select = select.where(afterEntityKey(query.cursor));
  const rows = await select
    .orderBy('kind')
    .orderBy('entity_key')
    .limit(query.limit + 1)
    .execute();
  const { items, nextCursor } = pageOf(
    rows,
    query.limit,
    (row) => rowToEntityState({ ...row, state_json: row.state_json as string }),
    (state) => [state.kind, state.key],
  );
  return nextCursor === undefined ? { states: items } : { states: items, nextCursor };
}

/**
 * Every live entity state of a template (optionally one kind), page by page:
 * what a correlator restores at start.
 *
 * @example for await (const s of store.entityStates.export({ templateId: 'order' })) restore(s)
 */
export async function* exportEntityStates(
  dialect: StoreDialect,
  options: Omit<EntityStatePageQuery, 'cursor'>,
): AsyncGenerator<StoredEntityState> {
  yield* allPages(async (cursor) => {
    const page = await pageEntityStates(dialect, { ...options, cursor });
    return { items: page.states, nextCursor: page.nextCursor };
  });
}
