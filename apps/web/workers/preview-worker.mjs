// The wizard preview's correlation run, in a worker thread so that the web
// server can bound its time (terminate) and memory (resourceLimits): a draft
// template is user input. Loaded by Node at run time (not bundled), so it
// imports the workspace packages' dist/ builds.
//
// Posts 'weft:worker-ready' (WORKER_READY of src/server/worker-run.ts) once
// loaded: the preview's time budget starts there, not at module loading.
//
// in:  { template, inputs: RawInput[], lookups: PreviewLookup[] }
//      (the template is already validated; lookups: the rows of its enrichment
//      lookups the server read, see preview-enricher.d.mts)
// out: { ok: true, events: JobEvent[] } | { ok: false, error: string }
import { parentPort } from 'node:worker_threads';
import { runBatch } from '@weft/engine';
import { compileTemplate } from '@weft/templates';
import { previewEnricher } from './preview-enricher.mjs';

parentPort.once('message', ({ template, inputs, lookups = [] }) => {
  try {
    const enrich = lookups.length > 0 ? previewEnricher(lookups) : undefined;
    parentPort.postMessage({
      ok: true,
      events: runBatch(compileTemplate(template), inputs, enrich),
    });
  } catch (error) {
    parentPort.postMessage({
      ok: false,
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    });
  }
});
parentPort.postMessage('weft:worker-ready');
