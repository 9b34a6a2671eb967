import type { CorrelatorMetrics } from '../metrics.js';
import type { SinkItem, WriterObserver } from '../pipeline/index.js';

/** Counts what a job emitted: fires by reason, orphans, late records, extraction dead letters. */
export function countOutputs(metrics: CorrelatorMetrics, items: readonly SinkItem[]): void {
  for (const item of items) {
    switch (item.kind) {
      case 'session':
        metrics.fires.inc({ template: item.session.templateId, reason: item.session.fireReason });
        break;
      case 'orphan':
        metrics.orphans.inc({ template: item.orphan.templateId, node: item.orphan.node });
        break;
      case 'late':
        metrics.lateRecords.inc({ template: item.late.templateId });
        break;
      case 'deadLetter':
        metrics.deadLetters.inc({
          source: item.deadLetter.source,
          reason: reasonCode(item.deadLetter.reason),
        });
        break;
      case 'retraction':
        break;
    }
  }
}

/** The batching writer's observer that feeds store latency, retries, queue depth and records out. */
export function writerMetrics(
  metrics: CorrelatorMetrics,
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void,
): WriterObserver {
  return {
    onWrite(batch, seconds) {
      metrics.storeLatency.observe({ operation: 'batch' }, seconds);
      for (const session of batch.sessions) {
        for (const node of session.nodes) {
          for (const record of node.records) metrics.recordsOut.inc({ source: record.source });
        }
      }
    },
    onRetry(error, attempt, delayMs) {
      metrics.storeRetries.inc({ operation: 'batch' });
      onRetry?.(error, attempt, delayMs);
    },
    onQueued(items) {
      metrics.sinkQueued.set(items);
    },
  };
}

/** The engine's dead-letter reasons are sentences; these prefixes name them for metric labels. */
const ENGINE_REASONS: readonly [RegExp, string][] = [
  [/^not valid JSON\b/u, 'invalid_json'],
  [/^missing event time\b/u, 'missing_event_time'],
  [/^event time\b/u, 'invalid_event_time'],
  [/^missing business key\b/u, 'missing_business_key'],
  [/^missing join key\b/u, 'missing_join_key'],
  [/^unknown source\b/u, 'unknown_source'],
  [/^cannot extract\b/u, 'extraction_failed'],
];

/**
 * The low-cardinality code of a dead-letter reason: the decoder's `code: detail`
 * (`invalid_json: …` → `invalid_json`), a known engine reason, else `other`.
 */
export function reasonCode(reason: string): string {
  const code = /^([a-z][a-z0-9_]{0,39}):/u.exec(reason)?.[1];
  if (code !== undefined) return code;
  return ENGINE_REASONS.find(([pattern]) => pattern.test(reason))?.[1] ?? 'other';
}
