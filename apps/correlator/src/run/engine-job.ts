import { runBatch } from '@weft/engine';
import type { Enricher, JobEvent, RawInput } from '@weft/engine';
import { compileTemplate, isEventSource } from '@weft/templates';
import type { Template } from '@weft/templates';
import type { SinkItem } from '../pipeline/index.js';
import type { CorrelationJob } from './correlation-job.js';

/**
 * Builds the correlation job of one template, with the enricher of its
 * lookups when it has any; injected so the runtime can be tested without the engine.
 */
export type JobFactory = (template: Template, enrich?: Enricher) => CorrelationJob;

/**
 * The bounded (`--input DIR`) job over @weft/engine's batch mode: inputs are
 * collected as they are read, and `finish` runs `runBatch` — every record in
 * event-time order through the same operators as streaming, then the final
 * watermark at +∞ — so a bounded run yields exactly the engine's batch result,
 * whatever order the files were read in. Memory grows with the input (the
 * raw lines are held until the end). `enrich` (an `EnrichmentCache`'s) adds
 * the enrichment fields when the sessions are evaluated.
 *
 * @example const job = createEngineJob(loadTemplate(definition), cache.enrich);
 */
export const createEngineJob: JobFactory = (template, enrich) => {
  const compiled = compileTemplate(template);
  let inputs: RawInput[] = [];
  return {
    templateId: template.id,
    sources: template.sources.filter(isEventSource).map((source) => source.id),
    push(input) {
      inputs.push({ source: input.source, raw: input.raw, origin: input.origin });
      return [];
    },
    advanceProcessingTime: () => [],
    finish(now) {
      const events = runBatch(compiled, inputs, enrich);
      inputs = [];
      return latestVersionsOnly(events.map((event) => toSinkItem(event, now)));
    },
    openSessions: () => 0,
  };
};

/**
 * Keeps only the highest version of each session, in place of its first
 * version. The store keeps the highest version anyway, so the stored result is
 * the same, without writing (and moving rollups for) every intermediate
 * version a batch run emits — about 3.5 per session on the example data.
 */
export function latestVersionsOnly(items: readonly SinkItem[]): SinkItem[] {
  const latest = new Map<string, number>();
  items.forEach((item, i) => {
    if (item.kind !== 'session') return;
    const seen = latest.get(item.session.sessionId);
    const seenItem = seen === undefined ? undefined : items[seen];
    if (seenItem?.kind !== 'session' || seenItem.session.version < item.session.version) {
      latest.set(item.session.sessionId, i);
    }
  });
  const keep = new Set(latest.values());
  return items.filter((item, i) => item.kind !== 'session' || keep.has(i));
}

/**
 * A job event as a sink item. Batch mode has no processing time, so its dead
 * letters carry `at: 0`; they are stamped with the time the run ended.
 */
export function toSinkItem(event: JobEvent, now: number): SinkItem {
  switch (event.type) {
    case 'session':
      return { kind: 'session', session: event.session };
    case 'retraction':
      return { kind: 'retraction', retraction: event.retraction };
    case 'orphan':
      return { kind: 'orphan', orphan: event.orphan };
    case 'late':
      return { kind: 'late', late: event.late };
    case 'deadLetter':
      return { kind: 'deadLetter', deadLetter: { ...event.deadLetter, at: now } };
  }
}
