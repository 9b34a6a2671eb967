import type { Store } from '@weft/storage';
import { parseStoredTemplate } from '../../../server/stored-template';
import { dashboardRollupSpecs } from '../lib/rollup-specs';

const ensuredByStore = new WeakMap<Store, Map<string, Promise<void>>>();

/**
 * Defines (once per store and template definition) the rollups the
 * dashboards page reads, so it is served from rollups instead of scanning raw
 * sessions. Defining backfills from the stored sessions once; defining an
 * existing spec again is a no-op in storage.
 *
 * @example await ensureDashboardRollups(store, stored.templateId, stored.definition)
 */
export function ensureDashboardRollups(
  store: Store,
  templateId: string,
  definition: unknown,
): Promise<void> {
  const template = parseStoredTemplate(definition);
  if (!template) return Promise.resolve();
  const specs = dashboardRollupSpecs(template.dashboards);
  const key = `${templateId}\n${JSON.stringify(specs)}`;
  let ensured = ensuredByStore.get(store);
  if (!ensured) ensuredByStore.set(store, (ensured = new Map()));
  let done = ensured.get(key);
  if (!done) {
    done = (async () => {
      for (const spec of specs) await store.rollups.define(templateId, spec);
    })().catch((error: unknown) => {
      ensured?.delete(key);
      throw error;
    });
    ensured.set(key, done);
  }
  return done;
}

/**
 * {@link ensureDashboardRollups}, waiting at most `budgetMs`: on a large store
 * the one-time backfill (about 90 s for 100,000 sessions and 4 rollups on the
 * shared 2-core machine) carries on in the background while this request is
 * served from raw sessions. A failure is logged, and retried on a later call.
 *
 * @example await ensureDashboardRollupsWithin(store, templateId, definition, 2_000)
 */
export async function ensureDashboardRollupsWithin(
  store: Store,
  templateId: string,
  definition: unknown,
  budgetMs: number,
): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const work = ensureDashboardRollups(store, templateId, definition).catch((error: unknown) => {
    console.error(`[weft-web] Defining the dashboard rollups of ${templateId} failed:`, error);
  });
  await Promise.race([
    work,
    new Promise<void>((resolve) => (timer = setTimeout(resolve, budgetMs))),
  ]);
  clearTimeout(timer);
}
