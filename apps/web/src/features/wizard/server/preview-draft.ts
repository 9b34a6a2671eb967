import path from 'node:path';
import type { JobEvent, RawInput } from '@weft/engine';
import type { Template } from '@weft/templates';
import { runInWorker } from '@/server/worker-run';
import { buildPreview } from '../lib/preview-model';
import type { PreviewOutcome } from '../lib/preview-model';
import { NO_ENRICHMENT } from './preview-enrichment';
import type { PreviewEnrichment } from './preview-enrichment';

/** Budget of one preview run: a draft and its samples are user input. */
export const PREVIEW_LIMITS = { timeoutMs: 3_000, maxHeapMb: 128 } as const;

type WorkerAnswer = { ok: true; events: JobEvent[] } | { ok: false; error: string };

function workerFile(): string {
  // `next start` and vitest both run in apps/web; the worker is plain ESM, not bundled.
  return path.resolve(/*turbopackIgnore: true*/ process.cwd(), 'workers/preview-worker.mjs');
}

/**
 * Correlates the samples with @weft/engine's batch mode under the draft (in a
 * worker thread, within {@link PREVIEW_LIMITS}), enriching sessions from the
 * lookups' rows (`readPreviewEnrichment`; the worker builds the enricher), and
 * shapes the result for the preview panel with the enrichment's notices. A
 * run that fails or overruns is an outcome, not an exception.
 *
 * @example await previewDraft(template, [{ source: 'checkout', raw: '{"ts":1,"order_id":"O1"}' }], await readPreviewEnrichment(store, template))
 */
export async function previewDraft(
  template: Template,
  inputs: RawInput[],
  enrichment: PreviewEnrichment = NO_ENRICHMENT,
  now: () => number = Date.now,
): Promise<PreviewOutcome> {
  const started = now();
  try {
    const answer = await runInWorker<WorkerAnswer>(
      workerFile(),
      { template, inputs, lookups: enrichment.lookups },
      PREVIEW_LIMITS,
    );
    if (!answer.ok) return { ok: false, error: `The engine stopped: ${answer.error}` };
    return {
      ok: true,
      model: buildPreview(answer.events, template, inputs),
      notices: enrichment.notices,
      elapsedMs: now() - started,
    };
  } catch (error) {
    return { ok: false, error: `No preview: ${(error as Error).message}` };
  }
}
