import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { applyMigrations, BATCH_LIMITS, openStore } from '@weft/storage';
import type { Session } from '@weft/templates';
import { ensureDashboardRollups } from '../src/features/dashboards/server/ensure-rollups';
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
/** Business keys kept to look up, spread evenly over the seeded set. */
const SAMPLE_KEYS = 400;

export interface SeededStore {
  sessions: number;
  /** Sessions written so far: less than `sessions` while a kept seed is unfinished. */
  seeded: number;
  /** When the seed was generated: session starts lie in the 90 days before it. */
  now: number;
  sampleKeys: string[];
  /** Sessions this process wrote (0 when a finished store was reused). */
  written: number;
  /** Wall time of this process's seeding; 0 when a finished store was reused. */
  ms: number;
  /** Of that, building the sessions (template extraction and evaluation) and writing them. */
  generateMs: number;
  upsertMs: number;
  /** This process's CPU time while seeding (it includes the embedded database). */
  cpuMs: number;
  reused: boolean;
}

/** The business key of purchase `n`. */
function orderOf(n: number): string {
  return `O${1_700_000_000_000 + n}`;
}

/** The purchase `n` of a seed: fixed by `n` and `now`, so a kept store and its keys agree. */
function seedSession(template: ReturnType<typeof purchaseTemplate>, n: number, now: number) {
  const order = orderOf(n);
  const t0 = now - Math.floor((((n * 2_654_435_761) % 1_000_003) / 1_000_003) * 90 * DAY);
  return purchaseSession(template, order, t0, FAULTS[(n * 31) % FAULTS.length]!, n);
}

/** The business keys to look up among the first `seeded` of `count`: evenly spread, fixed by `n`. */
function sampleKeysOf(count: number, seeded: number): string[] {
  const stride = Math.max(1, Math.floor(count / SAMPLE_KEYS));
  const keys: string[] = [];
  for (let n = 0; n < seeded; n += stride) keys.push(orderOf(n));
  return keys;
}

function readManifest(manifest: string | undefined): SeededStore | null {
  if (!manifest || !existsSync(manifest)) return null;
  const kept = JSON.parse(readFileSync(manifest, 'utf8')) as SeededStore;
  // Manifests written before seeds could be continued were written once, when finished.
  return { ...kept, seeded: kept.seeded ?? kept.sessions };
}

/**
 * Seeds `count` purchases spread over the 90 days before `now` through the
 * public storage API, as a running deployment holds them: the template is
 * published and its dashboard rollups defined first (as publishing does), so
 * the rollups are maintained by the writes instead of backfilled by the first
 * dashboard load. Batches are the largest one transaction takes
 * (`BATCH_LIMITS.sessions`); then the planner statistics are refreshed.
 *
 * With `manifest` (a JSON file next to a kept store) a seed records its
 * progress after every batch: a finished store with `count` sessions is
 * reused as it is, an interrupted one is continued where it stopped (a
 * replayed batch changes nothing: same session versions). `deadline` (epoch
 * ms) stops a long seed after the batch that passes it, to be continued later.
 */
export async function seedBenchStore(
  dbUrl: string,
  count: number,
  now: number,
  options: { manifest?: string; deadline?: number } = {},
): Promise<SeededStore> {
  const { manifest, deadline = Infinity } = options;
  const kept = readManifest(manifest);
  // Purchase `n` depends only on `n` and `now`, so the first `seeded` of any
  // seed are the same sessions: an unfinished seed can be continued to
  // another size, or measured at the size it reached (`--sessions <seeded>`).
  // A store holding more than `count` cannot be cut down.
  if (kept && kept.seeded > count)
    throw new Error(
      `${manifest} holds ${kept.seeded} sessions, more than ${count}: pass --sessions ${kept.sessions} or another --store`,
    );
  if (kept && kept.sessions === count && kept.seeded >= count)
    return { ...kept, written: 0, ms: 0, generateMs: 0, upsertMs: 0, cpuMs: 0, reused: true };
  const seedNow = kept?.now ?? now;
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const store = await openStore(dbUrl);
  let seeded = kept?.seeded ?? 0;
  let generateMs = 0;
  let upsertMs = 0;
  const progress = (): SeededStore => {
    const cpu = process.cpuUsage(cpuBefore);
    return {
      sessions: count,
      seeded,
      written: seeded - (kept?.seeded ?? 0),
      now: seedNow,
      sampleKeys: sampleKeysOf(count, seeded),
      ms: performance.now() - started,
      generateMs,
      upsertMs,
      cpuMs: (cpu.user + cpu.system) / 1000,
      reused: kept !== null,
    };
  };
  try {
    await applyMigrations(store);
    const template = purchaseTemplate();
    await store.templates.save({
      templateId: template.id,
      version: template.version,
      status: 'published',
      definition: template,
    });
    await ensureDashboardRollups(store, template.id, template);
    const batchSize = BATCH_LIMITS.sessions;
    while (seeded < count && Date.now() < deadline) {
      const generating = performance.now();
      const batch: Session[] = [];
      for (let n = seeded; n < Math.min(count, seeded + batchSize); n++)
        batch.push(seedSession(template, n, seedNow));
      const writing = performance.now();
      generateMs += writing - generating;
      await store.sessions.upsert(batch);
      upsertMs += performance.now() - writing;
      seeded += batch.length;
      if (manifest) writeFileSync(manifest, `${JSON.stringify(progress())}\n`);
      if (seeded % 50_000 < batchSize)
        console.log(
          `  ${seeded} sessions, ${Math.round(batch.length / ((performance.now() - generating) / 1000))}/s now`,
        );
    }
    if (seeded >= count) {
      await store.analyze();
      // A seed continued to or measured at another size is recorded as finished at it.
      if (manifest) writeFileSync(manifest, `${JSON.stringify(progress())}\n`);
    }
  } finally {
    await store.close();
  }
  return progress();
}
