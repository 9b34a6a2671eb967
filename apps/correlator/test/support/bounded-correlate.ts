import { fileURLToPath } from 'node:url';
import { openStore } from '@weft/storage';
import type { Session } from '@weft/templates';
import { runCorrelate } from '../../src/correlate/run-correlate.js';
import { createLogger } from '../../src/logging.js';
import { createEngineJob } from '../../src/run/index.js';
import type { RunSummary } from '../../src/run/index.js';

/** The in-app-purchase example template file. */
export const inAppPurchaseTemplate = fileURLToPath(
  new URL('../../../../packages/templates/examples/in-app-purchase.json', import.meta.url),
);

/**
 * Runs the real bounded path (file sources, engine, store) over `input` into
 * the store at `db` and returns the run summary and every stored session.
 */
export async function correlateBounded(
  input: string,
  db: string,
): Promise<{ summary: RunSummary; stored: Session[] }> {
  const summary = await runCorrelate({
    flags: { template: inAppPurchaseTemplate, input, db },
    env: {},
    readFile: () => '{}',
    jobFactory: createEngineJob,
    out: () => undefined,
    now: () => 1_764_100_000_000,
    logger: createLogger({ level: 'silent' }),
  });
  const store = await openStore(db);
  const stored: Session[] = [];
  try {
    for await (const session of store.sessions.export({ templateId: 'in-app-purchase' })) {
      stored.push(session);
    }
  } finally {
    await store.close();
  }
  return { summary, stored };
}
