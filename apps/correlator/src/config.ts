import { parseDuration } from '@weft/templates';
import { z } from 'zod';
import { UsageError } from './errors.js';

/**
 * The `weft correlate` configuration, loaded and validated once at startup.
 * Each setting comes from, in order of precedence: its command-line flag, its
 * `WEFT_*` environment variable, the optional JSON file (`--config FILE` or
 * `WEFT_CONFIG`). Errors name the flag, variable or file key that was wrong.
 */

const port = z.coerce.number().int().min(0).max(65_535);
const positiveInt = z.coerce.number().int().positive();
const nonEmpty = z.string().trim().min(1);
const dbUrl = nonEmpty.refine((url) => url.startsWith('mysql://') || url.startsWith('sqlite:'), {
  message: 'must be mysql://user[:pass]@host:port/db or sqlite:PATH',
});
/** A store URL given by `--db` (or `WEFT_DB`) to the one-shot commands (`weft backfill`, `weft retention`). */
export const storeUrlSchema = z
  .string({ error: 'is required (or WEFT_DB)' })
  .trim()
  .refine((url) => url.startsWith('mysql://') || url.startsWith('sqlite:'), {
    message: 'must be mysql://user[:pass]@host:port/db or sqlite:PATH',
  });
/** `host:port` brokers, as a list or comma-separated (`--kafka`). */
export const brokersSchema = z
  .union([z.array(nonEmpty), nonEmpty.transform((list) => list.split(','))])
  .transform((list) => list.map((broker) => broker.trim()).filter((broker) => broker !== ''))
  .pipe(
    z
      .array(z.string().regex(/^[^\s:]+:\d{1,5}$/u, 'each broker must be host:port'))
      .min(1, 'at least one host:port'),
  );
/** The prefix of source topics: source S is read from topic `<prefix>S` (`--topic-prefix`). */
export const topicPrefixSchema = z
  .string()
  .regex(/^[A-Za-z0-9._-]*$/u, 'Kafka topic names use only A-Z a-z 0-9 . _ -')
  .default('weft.src.');
/** An instant as ISO 8601 (`2026-11-24T00:00:00Z`, `2026-11-24`) or epoch milliseconds. */
export const instantSchema = z
  .string()
  .trim()
  .min(1)
  .transform((value, ctx) => {
    const ms = /^-?\d+$/u.test(value) ? Number(value) : Date.parse(value);
    if (Number.isNaN(new Date(ms).getTime())) {
      ctx.addIssue({
        code: 'custom',
        message: `${JSON.stringify(value)} is not an ISO 8601 time (2026-11-24T00:00:00Z) or epoch milliseconds`,
      });
      return z.NEVER;
    }
    return ms;
  });
/** Milliseconds, or a duration such as "10s", "500ms", "2m". */
const duration = z.union([z.number(), z.string().trim().min(1)]).transform((value, ctx) => {
  const ms = parseDuration(/^\d+$/u.test(String(value)) ? Number(value) : value);
  if (ms === null || ms <= 0) {
    ctx.addIssue({ code: 'custom', message: 'must be a duration such as 10s, 500ms or 2m' });
    return z.NEVER;
  }
  return ms;
});
const bool = z.union([
  z.boolean(),
  z.enum(['true', 'false', '1', '0']).transform((value) => value === 'true' || value === '1'),
]);

/** Every setting: where it can come from and how it is validated. */
const SETTINGS = {
  template: { flag: '--template', env: 'WEFT_TEMPLATE', schema: nonEmpty },
  input: { flag: '--input', env: 'WEFT_INPUT', schema: nonEmpty.optional() },
  stdin: { flag: '--stdin', env: 'WEFT_STDIN', schema: nonEmpty.optional() },
  kafka: { flag: '--kafka', env: 'WEFT_KAFKA_BROKERS', schema: brokersSchema.optional() },
  db: { flag: '--db', env: 'WEFT_DB', schema: dbUrl },
  group: {
    flag: '--group',
    env: 'WEFT_GROUP',
    schema: nonEmpty.default('weft-correlator'),
  },
  fromBeginning: {
    flag: '--from-beginning',
    env: 'WEFT_FROM_BEGINNING',
    schema: bool.default(true),
  },
  replayFrom: {
    flag: '--replay-from',
    env: 'WEFT_REPLAY_FROM',
    schema: z.coerce.string().pipe(instantSchema).optional(),
  },
  topicPrefix: {
    flag: '--topic-prefix',
    env: 'WEFT_TOPIC_PREFIX',
    schema: topicPrefixSchema,
  },
  checkpointDir: {
    flag: '--checkpoint-dir',
    env: 'WEFT_CHECKPOINT_DIR',
    schema: nonEmpty.optional(),
  },
  checkpointInterval: {
    flag: '--checkpoint-interval',
    env: 'WEFT_CHECKPOINT_INTERVAL',
    schema: duration.default(10_000),
  },
  kafkaSessionTimeout: {
    flag: '--kafka-session-timeout',
    env: 'WEFT_KAFKA_SESSION_TIMEOUT',
    schema: duration.default(30_000),
  },
  lateTopic: {
    flag: '--late-topic',
    env: 'WEFT_LATE_TOPIC',
    schema: z
      .string()
      .regex(/^[A-Za-z0-9._-]+$/u, 'Kafka topic names use only A-Z a-z 0-9 . _ -')
      .optional(),
  },
  maxWatermarkDrift: {
    flag: '--max-watermark-drift',
    env: 'WEFT_MAX_WATERMARK_DRIFT',
    schema: z
      .union([z.literal('off'), duration])
      .default(10_000)
      .transform((value) => (value === 'off' ? null : value)),
  },
  templatePoll: {
    flag: '--template-poll',
    env: 'WEFT_TEMPLATE_POLL',
    schema: duration.default(10_000),
  },
  httpHost: { flag: '--http-host', env: 'WEFT_HTTP_HOST', schema: nonEmpty.default('127.0.0.1') },
  httpPort: { flag: '--http-port', env: 'WEFT_HTTP_PORT', schema: port.optional() },
  logLevel: {
    flag: '--log-level',
    env: 'WEFT_LOG_LEVEL',
    schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  },
  batchMaxRecords: {
    flag: '--batch-max-records',
    env: 'WEFT_BATCH_MAX_RECORDS',
    schema: positiveInt.default(500),
  },
  batchMaxDelayMs: {
    flag: '--batch-max-delay-ms',
    env: 'WEFT_BATCH_MAX_DELAY_MS',
    schema: positiveInt.default(200),
  },
  sinkMaxQueued: {
    flag: '--sink-max-queued',
    env: 'WEFT_SINK_MAX_QUEUED',
    schema: positiveInt.default(10_000),
  },
  maxRecordBytes: {
    flag: '--max-record-bytes',
    env: 'WEFT_MAX_RECORD_BYTES',
    schema: positiveInt.default(1_048_576),
  },
  maxJsonDepth: {
    flag: '--max-json-depth',
    env: 'WEFT_MAX_JSON_DEPTH',
    schema: positiveInt.default(64),
  },
} as const;

type Settings = typeof SETTINGS;
type SettingKey = keyof Settings;
type Parsed = { [K in SettingKey]: z.output<Settings[K]['schema']> };

/** Where the correlator reads its records from. */
export type InputMode =
  | {
      kind: 'files';
      /** `DIR/<source>.ndjson` per template source; null: stdin only. */
      dir: string | null;
      /** The template source whose records arrive on standard input; null: none. */
      stdinSource: string | null;
    }
  | {
      kind: 'kafka';
      brokers: string[];
      groupId: string;
      fromBeginning: boolean;
      topicPrefix: string;
      /** Default `<group>.late`: an internal topic of the job, named after it as Kafka Streams names its own. */
      lateTopic: string;
      /** Default `.weft/checkpoints/<group>` (relative to the working directory). */
      checkpointDir: string;
      checkpointIntervalMs: number;
      sessionTimeoutMs: number;
      /** Watermark alignment: partitions further ahead of the slowest backlogged one are paused; null: off. */
      maxWatermarkDriftMs: number | null;
      /** How often a live run polls the published versions of `--template ID` (no version). */
      templatePollMs: number;
      /**
       * `--replay-from` (epoch ms): a start without a checkpoint reads from the
       * offsets of this instant minus the template's gap + maxSpan, and only
       * sessions ending at or after it are written (`withReplayCutoff`); null: off.
       */
      replayFrom: number | null;
    };

export interface CorrelateConfig {
  /** A template file path or a published template id (`ID[@VERSION]`). */
  template: string;
  input: InputMode;
  db: string;
  /** The health and metrics server; null when no port was given. */
  http: { host: string; port: number } | null;
  logLevel: Parsed['logLevel'];
  sink: { batchMaxRecords: number; batchMaxDelayMs: number; maxQueued: number };
  decode: { maxRecordBytes: number; maxDepth: number };
}

/** Values as they arrive: flags from commander (camelCase keys), env, a file reader. */
export interface ConfigSources {
  flags: Partial<Record<string, unknown>>;
  env: NodeJS.ProcessEnv;
  /** Reads the JSON config file; injected so tests need no files. */
  readFile: (path: string) => string;
}

/** The command-line flags and environment variables of every setting, for help texts. */
export const CONFIG_SETTINGS: Readonly<Record<SettingKey, { flag: string; env: string }>> =
  SETTINGS;

/**
 * Loads the configuration from flags > environment > JSON file, validating
 * every value; throws one UsageError listing every problem.
 *
 * @example
 * loadCorrelateConfig({ flags: { template: 't.json', input: 'data/', db: 'sqlite:weft.db' }, env: process.env, readFile })
 */
export function loadCorrelateConfig(sources: ConfigSources): CorrelateConfig {
  const file = readConfigFile(sources);
  const problems: string[] = [];
  const parsed: Partial<Record<SettingKey, unknown>> = {};
  for (const key of Object.keys(SETTINGS) as SettingKey[]) {
    const { value, origin } = pick(key, sources, file);
    const result = SETTINGS[key].schema.safeParse(value);
    if (result.success) parsed[key] = result.data;
    else if (value === undefined) problems.push(`${origin} is required`);
    else
      problems.push(
        `${origin}: ${result.error.issues.map((i) => i.message).join('; ')}${shown(value)}`,
      );
  }
  const values = parsed as Parsed;
  if (problems.length === 0) problems.push(...crossChecks(values));
  if (problems.length > 0) {
    throw new UsageError(
      `invalid configuration:\n  - ${problems.join('\n  - ')}\nRun \`weft correlate --help\` for every flag and its WEFT_* variable.`,
    );
  }
  return toConfig(values);
}

function readConfigFile(
  sources: ConfigSources,
): { path: string; values: Record<string, unknown> } | null {
  const path = stringFlag(sources.flags.config) ?? sources.env.WEFT_CONFIG?.trim();
  if (!path) return null;
  let text: string;
  try {
    text = sources.readFile(path);
  } catch (error) {
    throw new UsageError(
      `cannot read the config file ${path} (--config / WEFT_CONFIG): ${(error as Error).message}`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`the config file ${path} is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new UsageError(
      `the config file ${path} must hold a JSON object of settings, e.g. {"db":"sqlite:weft.db"}`,
    );
  }
  const unknownKeys = Object.keys(json).filter((key) => !(key in SETTINGS));
  if (unknownKeys.length > 0) {
    throw new UsageError(
      `the config file ${path} has unknown setting(s) ${unknownKeys.join(', ')}; known: ${Object.keys(SETTINGS).join(', ')}`,
    );
  }
  return { path, values: json as Record<string, unknown> };
}

function pick(
  key: SettingKey,
  sources: ConfigSources,
  file: { path: string; values: Record<string, unknown> } | null,
): { value: unknown; origin: string } {
  const { flag, env } = SETTINGS[key];
  const fromFlag = sources.flags[key];
  if (fromFlag !== undefined) return { value: fromFlag, origin: flag };
  const fromEnv = sources.env[env];
  if (fromEnv !== undefined && fromEnv !== '') return { value: fromEnv, origin: env };
  if (file && file.values[key] !== undefined) {
    return { value: file.values[key], origin: `"${key}" in ${file.path}` };
  }
  return { value: undefined, origin: `${flag} (or ${env})` };
}

function crossChecks(values: Parsed): string[] {
  const bounded = values.input ?? values.stdin;
  if (bounded === undefined && values.kafka === undefined) {
    return [
      'one input is required: --input DIR (WEFT_INPUT), --stdin SOURCE (WEFT_STDIN) or --kafka BROKERS (WEFT_KAFKA_BROKERS)',
    ];
  }
  if (bounded !== undefined && values.replayFrom !== undefined) {
    return [
      '--replay-from applies to --kafka only: a bounded run reads its whole input (weft backfill --from limits one)',
    ];
  }
  if (bounded !== undefined && values.kafka !== undefined) {
    const flag = values.input !== undefined ? '--input' : '--stdin';
    return [
      `${flag} (${bounded}) and --kafka (${values.kafka.join(',')}) exclude each other: choose one`,
    ];
  }
  return [];
}

function toConfig(values: Parsed): CorrelateConfig {
  const input: InputMode =
    values.kafka !== undefined
      ? {
          kind: 'kafka',
          brokers: values.kafka,
          groupId: values.group,
          fromBeginning: values.fromBeginning,
          topicPrefix: values.topicPrefix,
          lateTopic: values.lateTopic ?? `${values.group}.late`,
          checkpointDir: values.checkpointDir ?? `.weft/checkpoints/${values.group}`,
          checkpointIntervalMs: values.checkpointInterval,
          sessionTimeoutMs: values.kafkaSessionTimeout,
          maxWatermarkDriftMs: values.maxWatermarkDrift,
          templatePollMs: values.templatePoll,
          replayFrom: values.replayFrom ?? null,
        }
      : { kind: 'files', dir: values.input ?? null, stdinSource: values.stdin ?? null };
  return {
    template: values.template,
    input,
    db: values.db,
    http: values.httpPort === undefined ? null : { host: values.httpHost, port: values.httpPort },
    logLevel: values.logLevel,
    sink: {
      batchMaxRecords: values.batchMaxRecords,
      batchMaxDelayMs: values.batchMaxDelayMs,
      maxQueued: values.sinkMaxQueued,
    },
    decode: { maxRecordBytes: values.maxRecordBytes, maxDepth: values.maxJsonDepth },
  };
}

function stringFlag(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** The offending value for an error message, with any URL password masked. */
function shown(value: unknown): string {
  const raw = typeof value === 'string' ? value : JSON.stringify(value);
  const text = raw.replace(/(:\/\/[^:/@\s]*):[^@/\s]*@/gu, '$1:***@');
  return ` (got ${JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text)})`;
}
