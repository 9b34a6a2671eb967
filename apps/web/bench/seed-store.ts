import { applyMigrations, openStore } from '@weft/storage';
import type { Session } from '@weft/templates';
import { purchaseSession, purchaseTemplate } from '../test/e2e/seed';
import type { Fault } from '../test/e2e/seed';

const FAULTS: Fault[] = [
  ...Array<Fault>(14).fill('ok'),
  'paid_not_delivered',
  'double_delivery',
  'receipt_verify_failed',
  'callback_missing',
  'callback_missing',
  'abandoned_at_pay_page',
];
const DAY = 86_400_000;

/**
 * Seeds `count` purchases spread over the last 90 days through the public
 * storage API (batches of 500, as the correlator's sink writes), then
 * refreshes the planner statistics. Returns the time taken and business keys
 * spread over the whole set, to look up.
 */
export async function seedBenchStore(
  dbUrl: string,
  count: number,
  now: number,
): Promise<{ ms: number; sampleKeys: string[] }> {
  const started = performance.now();
  const store = await openStore(dbUrl);
  const sampleKeys: string[] = [];
  try {
    await applyMigrations(store);
    const template = purchaseTemplate();
    await store.templates.save({
      templateId: template.id,
      version: template.version,
      status: 'published',
      definition: template,
    });
    const stride = Math.max(1, Math.floor(count / 400));
    for (let first = 0; first < count; first += 500) {
      const batch: Session[] = [];
      for (let n = first; n < Math.min(count, first + 500); n++) {
        const order = `O${1_700_000_000_000 + n}`;
        const t0 = now - Math.floor((((n * 2_654_435_761) % 1_000_003) / 1_000_003) * 90 * DAY);
        batch.push(purchaseSession(template, order, t0, FAULTS[(n * 31) % FAULTS.length]!, n));
        if (n % stride === 0) sampleKeys.push(order);
      }
      await store.sessions.upsert(batch);
      if ((first / 500) % 20 === 19) console.log(`  ${first + batch.length} sessions`);
    }
    await store.analyze();
  } finally {
    await store.close();
  }
  return { ms: performance.now() - started, sampleKeys };
}
