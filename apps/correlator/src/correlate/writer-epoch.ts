import type { Store } from '@weft/storage';
import type { Template } from '@weft/templates';
import { inEpoch } from '../live/live-job.js';
import type { SinkItem } from '../pipeline/index.js';
import type { CorrelationJob } from '../run/index.js';

/**
 * Claims the epoch a bounded writer of `template` (`weft correlate --input`,
 * `weft backfill`) stores its session versions in: above every epoch a live
 * run, backfill or bounded run of the template claimed before on this store,
 * so the newest writer wins. At least the template version: the band
 * backfills wrote in before the store counted epochs (migration 0012), which
 * the store's counter does not know about.
 *
 * @example const epoch = await claimBoundedEpoch(store, template);
 */
export function claimBoundedEpoch(store: Store, template: Template): Promise<number> {
  return store.epochs.claim(template.id, template.version);
}

/**
 * `job` with every session and retraction version it emits lifted into
 * `epoch` (`epoch × 1,000,000 + the job's version`, as a live run's).
 *
 * @example const job = jobInEpoch(createEngineJob(template), await claimBoundedEpoch(store, template));
 */
export function jobInEpoch(job: CorrelationJob, epoch: number): CorrelationJob {
  const lift = (items: readonly SinkItem[]) => items.map((item) => inEpoch(item, epoch));
  return {
    templateId: job.templateId,
    sources: job.sources,
    push: (input, now) => lift(job.push(input, now)),
    advanceProcessingTime: (now) => lift(job.advanceProcessingTime(now)),
    finish: (now) => lift(job.finish(now)),
    openSessions: () => job.openSessions(),
  };
}
