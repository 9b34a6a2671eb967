import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Executor } from './dialect/dialect.js';
import { StorageValidationError } from './errors.js';

/**
 * A person's action on a session: merge (absorb `otherSessionId`), split,
 * or annotate (a note). The payload keeps what the web app needs to show it.
 */
export const OperatorActionInputSchema = z.object({
  sessionId: z.string().min(1).max(191),
  action: z.enum(['merge', 'split', 'annotate']),
  actor: z.string().min(1).max(191),
  at: z.number().int(),
  payload: z.record(z.string(), z.unknown()).default({}),
});
export type OperatorActionInput = z.input<typeof OperatorActionInputSchema>;
export type OperatorAction = z.output<typeof OperatorActionInputSchema> & { id: string };

/**
 * Records an operator action and returns it with its id.
 *
 * @example await store.operatorActions.record({ sessionId, action: 'annotate', actor: 'ana', at: Date.now(), payload: { note: 'refund' } })
 */
export async function recordOperatorAction(
  executor: Executor,
  input: OperatorActionInput,
): Promise<OperatorAction> {
  const parsed = OperatorActionInputSchema.safeParse(input);
  if (!parsed.success) {
    throw new StorageValidationError(
      `Invalid operator action: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}.`,
    );
  }
  const action = { ...parsed.data, id: randomUUID().replaceAll('-', '') };
  await executor
    .insertInto('operator_actions')
    .values({
      action_id: action.id,
      session_id: action.sessionId,
      action: action.action,
      actor: action.actor,
      at: action.at,
      payload_json: JSON.stringify(action.payload),
    })
    .execute();
  return action;
}

/** The actions on a session, oldest first. */
export async function listOperatorActions(
  executor: Executor,
  sessionId: string,
): Promise<OperatorAction[]> {
  const rows = await executor
    .selectFrom('operator_actions')
    .selectAll()
    .where('session_id', '=', sessionId)
    .orderBy('at')
    .orderBy('action_id')
    .execute();
  return rows.map((row) => ({
    id: row.action_id,
    sessionId: row.session_id,
    action: row.action as OperatorAction['action'],
    actor: row.actor,
    at: Number(row.at),
    payload: JSON.parse(row.payload_json) as Record<string, unknown>,
  }));
}
