import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import {
  DEFAULT_START,
  DEFAULT_TOPIC_PREFIX,
  SimulatorError,
  createSimulation,
  fileDatasetSink,
  runSimulation,
  scenarioIds,
  topicOf,
} from '@weft/simulator';
import type { Manifest, RecordSink, RunTargets, Simulation } from '@weft/simulator';
import { z } from 'zod';
import { UsageError } from '../errors.js';
import { createKafkajsClient } from '../kafka/index.js';

const FlagsSchema = z.object({
  scenario: z.string(),
  orders: z.coerce.number().int().positive(),
  seed: z.coerce.number().int().min(0).max(0xffffffff),
  out: z.string().optional(),
  rate: z.coerce.number().positive().optional(),
  kafka: z.string().optional(),
  topicPrefix: z
    .string()
    .regex(/^[A-Za-z0-9._-]+$/)
    .default(DEFAULT_TOPIC_PREFIX),
  faults: z.string().optional(),
  start: z.string().optional(),
  spanHours: z.coerce.number().positive().optional(),
  firstOrder: z.coerce.number().int().min(0).optional(),
});
type Flags = z.infer<typeof FlagsSchema>;

/** `--start` as epoch ms; without it, now for live runs (rate or Kafka), else the fixed default. */
function startOf(flags: Flags): number {
  if (flags.start === undefined) {
    return flags.rate !== undefined || flags.kafka !== undefined ? Date.now() : DEFAULT_START;
  }
  const ms = Date.parse(flags.start);
  if (Number.isNaN(ms))
    throw new UsageError(`--start must be an ISO 8601 time, got "${flags.start}".`);
  return ms;
}

/** A RecordSink over the correlator's Kafka seam; creates the source topics first. */
async function kafkaSink(brokers: string, prefix: string, simulation: Simulation) {
  const kafka = createKafkajsClient({ brokers: brokers.split(','), clientId: 'weft-simulate' });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics(
    simulation.sources.map((s) => ({ topic: topicOf(s, prefix), numPartitions: 3 })),
  );
  await admin.disconnect();
  const producer = kafka.producer();
  await producer.connect();
  const sink: RecordSink = { send: (topic, records) => producer.send(topic, records) };
  return { sink, close: () => producer.disconnect() };
}

function progressBar(total: number): ((done: number) => void) | undefined {
  if (!process.stderr.isTTY || total < 10_000) return undefined;
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: 'simulate [{bar}] {percentage}% {value}/{total} orders | eta {eta}s',
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  return (done) => (done >= total ? bar.stop() : bar.update(done));
}

function summary(manifest: Manifest, where: string): string {
  const { counts } = manifest;
  const lines = Object.values(counts.recordLines).reduce((a, b) => a + b, 0);
  const conclusions = Object.entries(counts.conclusions)
    .map(([name, n]) => `${name} ${String(n)}`)
    .join(', ');
  return `simulated ${String(counts.sessions)} ${manifest.options.scenario} sessions (${String(lines)} record lines, ${String(counts.splits)} split, ${String(counts.orphans)} orphans, ${String(counts.deadLetters)} dead letters) ${where}\nconclusions: ${conclusions}`;
}

async function simulate(raw: Record<string, unknown>): Promise<void> {
  const parsed = FlagsSchema.safeParse(raw);
  if (!parsed.success) {
    throw new UsageError(
      parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; '),
    );
  }
  const flags = parsed.data;
  if (flags.out === undefined && flags.kafka === undefined) {
    throw new UsageError(
      'give --out DIR, --kafka BROKERS, or both: the simulation needs somewhere to go.',
    );
  }
  let simulation: Simulation;
  try {
    simulation = createSimulation({ ...flags, start: startOf(flags) });
  } catch (error) {
    if (error instanceof SimulatorError) throw new UsageError(error.message);
    throw error;
  }
  const kafka =
    flags.kafka === undefined
      ? undefined
      : await kafkaSink(flags.kafka, flags.topicPrefix, simulation);
  const targets: RunTargets = {
    ...(flags.out === undefined ? {} : { dataset: fileDatasetSink(flags.out) }),
    ...(kafka === undefined ? {} : { records: kafka.sink, topicPrefix: flags.topicPrefix }),
    ...(flags.rate === undefined
      ? {}
      : {
          pacing: {
            recordsPerSecond: flags.rate,
            now: Date.now,
            sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, ms)),
          },
        }),
    onProgress: progressBar(flags.orders),
  };
  try {
    const manifest = await runSimulation(simulation, targets);
    const where = [flags.out && `to ${flags.out}`, flags.kafka && `to Kafka ${flags.kafka}`]
      .filter(Boolean)
      .join(' and ');
    console.log(summary(manifest, where));
  } finally {
    await kafka?.close();
  }
}

/** `weft simulate --scenario in-app-purchase --orders N --seed S --out DIR [--rate R] [--kafka BROKERS] [--faults SPEC]`. */
export function register(program: Command): void {
  program
    .command('simulate')
    .description(
      'Generate simulated multi-source business traffic with injected faults and ground truth',
    )
    .option('--scenario <id>', `one of ${scenarioIds.join(', ')}`, 'in-app-purchase')
    .option('--orders <n>', 'number of true business sessions', '1000')
    .option('--seed <n>', 'PRNG seed: same seed and options, byte-identical output', '1')
    .option(
      '--out <dir>',
      'write <source>.ndjson, truth.ndjson, dimension tables and manifest.json here',
    )
    .option('--rate <records-per-second>', 'emit in real time at this rate (live mode)')
    .option('--kafka <brokers>', 'also produce each source to weft.src.<source> (host:port,…)')
    .option('--topic-prefix <prefix>', 'Kafka topic of source S is <prefix>S', DEFAULT_TOPIC_PREFIX)
    .option('--faults <spec>', '"none" or name=rate,… (see packages/simulator/README.md)')
    .option('--start <iso>', 'first event time (default 2026-11-24T00:00:00Z; now for live runs)')
    .option('--span-hours <h>', 'hours over which sessions start (diurnal curve)', '24')
    .option(
      '--first-order <n>',
      'index of the first order: ids derive from it, so a later batch starting after an earlier one reuses none of its ids',
      '0',
    )
    .action(simulate);
}
