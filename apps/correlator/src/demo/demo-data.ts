import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createSimulation, fileDatasetSink, runSimulation } from '@weft/simulator';
import { applyMigrations, openStore } from '@weft/storage';
import { loadTemplate } from '@weft/templates';
import { z } from 'zod';
import { runCorrelate } from '../correlate/run-correlate.js';
import { CorrelatorError } from '../errors.js';
import { createEngineJob } from '../run/index.js';
import type { DemoOptions } from './demo-options.js';
import { demoPaths, resetDemoData, safeJson } from './demo-files.js';
import { DEMO_SCENARIOS } from './demo-scenarios.js';

const HOUR = 3_600_000;

const ManifestSchema = z.object({
  createdAt: z.number(),
  orders: z.number(),
  seed: z.number(),
  /** Event time of the first and last simulated session start. */
  from: z.number(),
  to: z.number(),
  /** `weft correlate`'s one-line summary per scenario. */
  correlated: z.record(z.string(), z.string()),
});
/** `<data dir>/demo.json`: what the data phase generated; written last. */
export type DemoManifest = z.infer<typeof ManifestSchema>;

export interface DemoData {
  dbUrl: string;
  /** True when an earlier run's data was kept (no `--reset`). */
  reused: boolean;
  manifest: DemoManifest;
}

/**
 * The demo's data phase: migrates `sqlite:<data dir>/weft.db`, publishes the
 * example templates, simulates each scenario over the last 24 hours of event
 * time with the default faults, and correlates it into the store through
 * `weft correlate`'s own bounded path. A complete earlier run is reused.
 *
 * @example const { dbUrl, manifest } = await prepareDemoData(options, console.log, Date.now());
 */
export async function prepareDemoData(
  options: DemoOptions,
  out: (line: string) => void,
  now: number,
): Promise<DemoData> {
  const paths = demoPaths(options.dataDir);
  mkdirSync(options.dataDir, { recursive: true });
  if (options.reset) resetDemoData(options.dataDir);
  const existing = readManifest(paths.manifest);
  if (existing) return { dbUrl: paths.dbUrl, reused: true, manifest: existing };
  // A manifest is missing after an interrupted run too: start clean so nothing is half-done.
  resetDemoData(options.dataDir);

  await publishTemplates(paths.dbUrl);
  out(`published templates: ${DEMO_SCENARIOS.map((s) => s.templateId).join(', ')}`);
  const to = Math.floor(now / 60_000) * 60_000 - HOUR;
  const from = to - 24 * HOUR;
  const correlated: Record<string, string> = {};
  for (const { scenario, templateId } of DEMO_SCENARIOS) {
    const input = paths.input(scenario);
    const simulation = createSimulation({
      scenario,
      orders: options.orders,
      seed: options.seed,
      start: from,
      spanHours: 24,
    });
    out(`simulating ${options.orders} ${scenario} orders (seed ${options.seed}) into ${input}`);
    await runSimulation(simulation, { dataset: fileDatasetSink(input) });
    out(`correlating ${scenario} with template ${templateId} (weft correlate, bounded mode)`);
    await runCorrelate({
      flags: { template: templateId, input, db: paths.dbUrl, logLevel: 'error' },
      env: {},
      readFile: (file) => readFileSync(file, 'utf8'),
      jobFactory: createEngineJob,
      out: (line) => {
        correlated[scenario] = line;
        out(`  ${line}`);
      },
      now: Date.now,
    });
  }
  const manifest: DemoManifest = {
    createdAt: now,
    orders: options.orders,
    seed: options.seed,
    from,
    to,
    correlated,
  };
  writeFileSync(paths.manifest, `${JSON.stringify(manifest, null, 2)}\n`);
  return { dbUrl: paths.dbUrl, reused: false, manifest };
}

/** Stores each example template as a published version, as the wizard's publish would. */
async function publishTemplates(dbUrl: string): Promise<void> {
  const store = await openStore(dbUrl);
  try {
    await applyMigrations(store);
    for (const { templateFile } of DEMO_SCENARIOS) {
      const template = loadTemplate(JSON.parse(readFileSync(templateFile, 'utf8')) as unknown);
      await store.templates.save({
        templateId: template.id,
        version: template.version,
        status: 'published',
        definition: template,
      });
    }
  } finally {
    await store.close();
  }
}

function readManifest(file: string): DemoManifest | undefined {
  if (!existsSync(file)) return undefined;
  const parsed = ManifestSchema.safeParse(safeJson(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    throw new CorrelatorError(
      `${file} is not a demo manifest (${parsed.error.issues[0]?.message ?? 'invalid'}): run \`weft demo --reset\` to regenerate the demo data`,
    );
  }
  return parsed.data;
}
