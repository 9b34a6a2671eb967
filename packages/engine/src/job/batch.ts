import type { CompiledTemplate } from '@weft/templates';
import { CorrelationJob } from './correlation-job.js';
import type { JobEvent } from './job-events.js';
import type { Enricher } from './session-assembly.js';
import { prepareRecord } from './unified-view.js';
import type { RawInput, RoutedRecord } from './unified-view.js';

/**
 * Batch mode over a bounded input with the same operators as streaming:
 * every record in event-time order (ties keep input order), no processing
 * time, then one final watermark at +∞ that fires and closes everything.
 *
 * Example: `latestSessions(runBatch(compiled, lines))`.
 */
export function runBatch(
  compiled: CompiledTemplate,
  inputs: readonly RawInput[],
  enrich?: Enricher,
): JobEvent[] {
  const events: JobEvent[] = [];
  const job = new CorrelationJob(compiled, {
    emit: (e) => events.push(e),
    ...(enrich ? { enrich } : {}),
  });
  const routed: RoutedRecord[] = [];
  for (const input of inputs) {
    const prepared = prepareRecord(compiled, input, 0);
    if (prepared.ok) routed.push(prepared.routed);
    else events.push({ type: 'deadLetter', deadLetter: prepared.deadLetter });
  }
  routed
    .map((r, i) => ({ r, i }))
    .sort((a, b) => a.r.record.eventTime - b.r.record.eventTime || a.i - b.i)
    .forEach(({ r }) => job.accept(r));
  job.advanceWatermark(Number.POSITIVE_INFINITY);
  return events;
}
