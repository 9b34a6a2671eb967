import { prepareRecord } from '@weft/engine';
import type { Enricher } from '@weft/engine';
import { compileTemplate } from '@weft/templates';
import type { Template } from '@weft/templates';
import { jobInEpoch } from '../correlate/writer-epoch.js';
import { createEngineJob } from '../run/index.js';
import type { CorrelationJob } from '../run/index.js';

/** The event-time range `[from, to)` a backfill replays, in epoch ms. */
export interface EventTimeRange {
  from: number;
  to: number;
}

/** A backfill's job, and how many records it skipped as outside the range. */
export interface BackfillJob extends CorrelationJob {
  readonly outsideRange: number;
}

/**
 * The bounded engine job (`createEngineJob`: the engine's batch mode over
 * every record in event-time order) for a backfill:
 * - records whose event time is outside `range` are skipped (records the
 *   engine cannot extract still reach it and become dead letters);
 * - session versions are lifted into `epoch` (`jobInEpoch`): the
 *   backfill's own epoch, claimed from the store (`claimBoundedEpoch`), so
 *   what it writes outranks every earlier writer of the template (live
 *   runs, backfills, bounded runs) and loses to every later one.
 *
 * `enrich` adds the enrichment fields (an `EnrichmentCache`'s enricher).
 *
 * @example const job = createBackfillJob(template, { from: Date.parse('2026-11-23'), to: Date.parse('2026-11-24') }, epoch, cache.enrich);
 */
export function createBackfillJob(
  template: Template,
  range: EventTimeRange,
  epoch: number,
  enrich?: Enricher,
): BackfillJob {
  const compiled = compileTemplate(template);
  const inner = jobInEpoch(createEngineJob(template, enrich), epoch);
  let outsideRange = 0;
  return {
    templateId: inner.templateId,
    sources: inner.sources,
    push(input, now) {
      const prepared = prepareRecord(compiled, input, now);
      if (prepared.ok) {
        const at = prepared.routed.record.eventTime;
        if (at < range.from || at >= range.to) {
          outsideRange += 1;
          return [];
        }
      }
      return inner.push(input, now);
    },
    advanceProcessingTime: (now) => inner.advanceProcessingTime(now),
    finish: (now) => inner.finish(now),
    openSessions: () => inner.openSessions(),
    get outsideRange() {
      return outsideRange;
    },
  };
}
