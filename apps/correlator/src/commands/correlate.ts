import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { CONFIG_SETTINGS } from '../config.js';
import { runCorrelate } from '../correlate/run-correlate.js';
import { createEngineJob } from '../run/index.js';
import { withStopSignal } from './stop-signal.js';

const HELP: Record<keyof typeof CONFIG_SETTINGS, string> = {
  template: 'template JSON file, or published template ID[@VERSION]',
  input: 'bounded input: a directory with one <source>.ndjson per template source',
  stdin: 'bounded input: the records of this template source arrive as NDJSON on standard input',
  kafka: 'live input: Kafka brokers host:port[,host:port]; runs until SIGTERM',
  db: 'mysql://user[:pass]@host:port/db or sqlite:PATH',
  group: 'Kafka consumer group',
  fromBeginning: 'a new consumer group starts at the earliest offsets (true|false)',
  topicPrefix: 'Kafka topic of source S is <prefix>S',
  replayFrom:
    'live, starting without a checkpoint: replay from this time (ISO 8601 or epoch ms) minus the template gap + maxSpan, writing only sessions that end at or after it, then go on live',
  checkpointDir:
    'live: checkpoint directory (shared storage for scale-out); default .weft/checkpoints/<group>',
  checkpointInterval: 'live: time between checkpoints, e.g. 10s',
  kafkaSessionTimeout: 'live: Kafka group session timeout, e.g. 30s',
  lateTopic: 'Kafka topic of the late side queue (default <group>.late; created when missing)',
  maxWatermarkDrift:
    'live: while reading a backlog, pause partitions whose watermark is this far ahead of the slowest, e.g. 10s, or off',
  templatePoll:
    'live, with --template ID (no version): how often to poll its published versions, e.g. 10s',
  httpHost: 'address of /healthz and /metrics',
  httpPort: 'port of /healthz and /metrics (off when absent)',
  logLevel: 'fatal|error|warn|info|debug|trace|silent',
  batchMaxRecords: 'store writes carry at most this many items',
  batchMaxDelayMs: 'and wait at most this long for more',
  sinkMaxQueued: 'pause reading above this many items not yet stored',
  maxRecordBytes: 'larger inputs become dead letters',
  maxJsonDepth: 'deeper-nested inputs become dead letters',
};

/** `weft correlate`: flags > WEFT_* env > --config file; see apps/correlator/README.md. */
export function register(program: Command): void {
  const command = program
    .command('correlate')
    .description(
      'Correlate a bounded NDJSON input (--input) or live Kafka topics (--kafka) into stored sessions',
    )
    .option('--config <file>', 'JSON file of settings (WEFT_CONFIG)');
  for (const [key, { flag, env }] of Object.entries(CONFIG_SETTINGS)) {
    const value = key === 'fromBeginning' ? `${flag} <bool>` : `${flag} <value>`;
    command.option(value, `${HELP[key as keyof typeof HELP]} (${env})`);
  }
  command.action(async (flags: Record<string, unknown>) => {
    // SIGTERM/SIGINT stop a live run cleanly: flush, checkpoint, commit, exit 0.
    await withStopSignal((signal) =>
      runCorrelate({
        flags,
        env: process.env,
        readFile: (path) => readFileSync(path, 'utf8'),
        jobFactory: createEngineJob,
        out: (line) => console.log(line),
        now: Date.now,
        stdin: process.stdin,
        signal,
      }),
    );
  });
}
