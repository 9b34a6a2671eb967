import { z } from 'zod';
import type { StoreDialect } from './dialect/dialect.js';
import { StorageError, StorageValidationError } from './errors.js';

const EpochClaimSchema = z.object({
  templateId: z.string().min(1).max(128),
  atLeast: z
    .number()
    .int()
    .min(0)
    .max(Number.MAX_SAFE_INTEGER - 1),
});

/**
 * Claims the next epoch of a template's writers: one more than the highest
 * epoch claimed before on this database (0 for the first claim), or
 * `atLeast` when that is higher. The claim is durable before it returns, and
 * claims are serialized by a row lock (SQLite: its write lock), so no two
 * claims — from any processes — get the same epoch, and a later claim gets a
 * higher one.
 *
 * @example const epoch = await store.epochs.claim('in-app-purchase', directoryNextEpoch);
 */
export async function claimEpoch(
  dialect: StoreDialect,
  templateId: string,
  atLeast = 0,
): Promise<number> {
  const claim = parseClaim(templateId, atLeast);
  const key = claim.templateId;
  const now = Date.now();
  // The row exists before the locking read, in its own transaction: two first
  // claims would otherwise both lock a missing row and deadlock inserting it.
  await dialect.writeTransaction((trx) =>
    dialect.insertIgnore(trx, 'writer_epochs', [
      { template_id: key, next_epoch: 0, claimed_at: now },
    ]),
  );
  return dialect.writeTransaction(async (trx) => {
    const row = await dialect
      .forUpdate(
        trx.selectFrom('writer_epochs').select('next_epoch').where('template_id', '=', key),
      )
      .executeTakeFirst();
    if (row === undefined) {
      throw new StorageError(
        `The writer_epochs row of template "${key}" was deleted while its epoch was being claimed: claim again.`,
      );
    }
    const epoch = Math.max(Number(row.next_epoch), claim.atLeast);
    await trx
      .updateTable('writer_epochs')
      .set({ next_epoch: epoch + 1, claimed_at: now })
      .where('template_id', '=', key)
      .execute();
    return epoch;
  });
}

/**
 * The newest epoch claimed for a template, or null when none was. A writer
 * whose own epoch is lower has been superseded: the store keeps the newer
 * writer's versions of every session both write, and ignores the older
 * writer's updates of them.
 *
 * @example if ((await store.epochs.newest('in-app-purchase')) ?? -1 > myEpoch) report('superseded');
 */
export async function newestEpoch(
  dialect: StoreDialect,
  templateId: string,
): Promise<number | null> {
  const key = parseClaim(templateId, 0).templateId;
  const row = await dialect.db
    .selectFrom('writer_epochs')
    .select('next_epoch')
    .where('template_id', '=', key)
    .executeTakeFirst();
  const next = row === undefined ? 0 : Number(row.next_epoch);
  return next === 0 ? null : next - 1;
}

function parseClaim(templateId: string, atLeast: number): z.output<typeof EpochClaimSchema> {
  const parsed = EpochClaimSchema.safeParse({ templateId, atLeast });
  if (parsed.success) return parsed.data;
  throw new StorageValidationError(
    `Invalid epoch claim: ${parsed.error.issues
      .map((issue) => `${issue.path.join('.')}: ${issue.message}`)
      .join('; ')}. templateId is 1–128 characters, atLeast a non-negative safe integer.`,
  );
}
