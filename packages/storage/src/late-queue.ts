import { createHash } from 'node:crypto';
import type { LateRecord } from '@weft/templates';
import { chunk, statementChunks } from './chunks.js';
import type { StoreDialect } from './dialect/dialect.js';

/** A queued late record and the id to acknowledge it by. */
export interface QueuedLateRecord {
  id: string;
  late: LateRecord;
  enqueuedAt: number;
}

/**
 * Queues records that arrived behind the watermark, for the embedded mode's
 * late-data reprocessor. A record queued twice (a replay) is queued once.
 */
export async function enqueueLate(
  dialect: StoreDialect,
  records: readonly LateRecord[],
): Promise<void> {
  const now = Date.now();
  const rows = records.map((late) => ({
    late_id: createHash('sha256')
      .update(`${late.templateId}\u0000${late.node}\u0000${late.record.recordId}`)
      .digest('hex')
      .slice(0, 32),
    template_id: late.templateId,
    event_time: late.record.eventTime,
    late_json: JSON.stringify(late),
    enqueued_at: now,
  }));
  for (const slice of statementChunks(
    rows,
    dialect.statementLimits,
    (row) => `late record "${row.late_id}"`,
  )) {
    await dialect.insertIgnore(dialect.db, 'late_queue', slice);
  }
}

/** The oldest queued late records (they stay queued until acknowledged). */
export async function peekLate(dialect: StoreDialect, limit = 100): Promise<QueuedLateRecord[]> {
  const rows = await dialect.db
    .selectFrom('late_queue')
    .selectAll()
    .orderBy('enqueued_at')
    .orderBy('late_id')
    .limit(Math.min(Math.max(limit, 1), 1000))
    .execute();
  return rows.map((row) => ({
    id: row.late_id,
    late: JSON.parse(row.late_json) as LateRecord,
    enqueuedAt: Number(row.enqueued_at),
  }));
}

/** Removes reprocessed records from the queue. */
export async function acknowledgeLate(
  dialect: StoreDialect,
  ids: readonly string[],
): Promise<void> {
  for (const slice of chunk(ids, 500)) {
    await dialect.db.deleteFrom('late_queue').where('late_id', 'in', slice).execute();
  }
}
