import { describe, expect, it } from 'vitest';
import { loadCorrelateConfig } from './config.js';
import type { ConfigSources } from './config.js';
import { UsageError } from './errors.js';

const noFile = (path: string): string => {
  throw new Error(`ENOENT: no such file ${path}`);
};

function load(partial: Partial<ConfigSources>) {
  return loadCorrelateConfig({ flags: {}, env: {}, readFile: noFile, ...partial });
}

function problemOf(partial: Partial<ConfigSources>): string {
  try {
    load(partial);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error('expected the configuration to be rejected');
}

describe('loadCorrelateConfig', () => {
  it('builds a bounded file run with defaults from flags alone', () => {
    const config = load({ flags: { template: 't.json', input: 'data/', db: 'sqlite:weft.db' } });
    expect(config).toEqual({
      template: 't.json',
      input: { kind: 'files', dir: 'data/', stdinSource: null },
      db: 'sqlite:weft.db',
      http: null,
      logLevel: 'info',
      sink: { batchMaxRecords: 500, batchMaxDelayMs: 200, maxQueued: 10_000 },
      decode: { maxRecordBytes: 1_048_576, maxDepth: 64 },
    });
  });

  it('takes flags over environment over the JSON file', () => {
    const config = load({
      flags: { template: 'from-flag.json', config: 'weft.json' },
      env: { WEFT_TEMPLATE: 'from-env.json', WEFT_DB: 'sqlite:env.db', WEFT_HTTP_PORT: '9464' },
      readFile: () =>
        JSON.stringify({
          template: 'from-file.json',
          db: 'sqlite:file.db',
          kafka: ['k1:9092', 'k2:9092'],
          httpPort: 1,
          group: 'from-file',
          checkpointInterval: '2s',
        }),
    });
    expect(config.template).toBe('from-flag.json');
    expect(config.db).toBe('sqlite:env.db');
    expect(config.http).toEqual({ host: '127.0.0.1', port: 9464 });
    expect(config.input).toMatchObject({
      kind: 'kafka',
      brokers: ['k1:9092', 'k2:9092'],
      groupId: 'from-file',
      topicPrefix: 'weft.src.',
      lateTopic: 'from-file.late',
      checkpointDir: '.weft/checkpoints/from-file',
      checkpointIntervalMs: 2_000,
      sessionTimeoutMs: 30_000,
    });
  });

  it('splits a comma-separated broker list from the environment', () => {
    const config = load({
      env: {
        WEFT_TEMPLATE: 't',
        WEFT_DB: 'mysql://weft:weft@127.0.0.1:3306/weft',
        WEFT_KAFKA_BROKERS: '127.0.0.1:19092, 127.0.0.2:19092',
        WEFT_FROM_BEGINNING: 'false',
      },
    });
    expect(config.input).toMatchObject({
      kind: 'kafka',
      brokers: ['127.0.0.1:19092', '127.0.0.2:19092'],
      fromBeginning: false,
    });
  });

  it('names the flag or variable of each invalid value and lists every problem', () => {
    const message = problemOf({
      flags: { template: 't.json', input: 'data/', httpPort: 'eighty' },
      env: { WEFT_DB: 'postgres://x', WEFT_BATCH_MAX_RECORDS: '0' },
    });
    expect(message).toContain('--http-port');
    expect(message).toContain('"eighty"');
    expect(message).toContain('WEFT_DB: must be mysql://');
    expect(message).toContain('WEFT_BATCH_MAX_RECORDS');
  });

  it('says which setting is missing and how to give it', () => {
    expect(problemOf({ flags: { input: 'data/' } })).toMatch(
      /--template \(or WEFT_TEMPLATE\) is required[\s\S]*--db \(or WEFT_DB\) is required/,
    );
  });

  it('requires exactly one input', () => {
    const base = { template: 't', db: 'sqlite:x' };
    expect(problemOf({ flags: base })).toContain('one input is required');
    expect(problemOf({ flags: { ...base, input: 'd', kafka: 'h:1' } })).toContain(
      'exclude each other',
    );
    expect(problemOf({ flags: { ...base, stdin: 'pay_done', kafka: 'h:1' } })).toContain(
      '--stdin (pay_done) and --kafka (h:1) exclude each other',
    );
  });

  it('takes --stdin SOURCE as a bounded input, alone or next to --input', () => {
    const base = { template: 't', db: 'sqlite:x' };
    expect(load({ flags: { ...base, stdin: 'pay_done' } }).input).toEqual({
      kind: 'files',
      dir: null,
      stdinSource: 'pay_done',
    });
    expect(load({ flags: { ...base, stdin: 'pay_done', input: 'd' } }).input).toEqual({
      kind: 'files',
      dir: 'd',
      stdinSource: 'pay_done',
    });
  });

  it('reads checkpoint intervals as milliseconds or durations and names a bad one', () => {
    const base = { template: 't', db: 'sqlite:x', kafka: 'h:1' };
    const ms = load({ flags: { ...base, checkpointInterval: '2500', checkpointDir: '/cp' } });
    expect(ms.input).toMatchObject({ checkpointIntervalMs: 2_500, checkpointDir: '/cp' });
    expect(problemOf({ flags: { ...base, checkpointInterval: 'soon' } })).toContain(
      '--checkpoint-interval: must be a duration such as 10s',
    );
    expect(problemOf({ flags: { ...base, topicPrefix: 'bad prefix/' } })).toContain(
      '--topic-prefix',
    );
  });

  it('reads --replay-from as an instant of a live run, and refuses it for a bounded one', () => {
    const live = { template: 't.json', kafka: 'k:9092', db: 'sqlite:w.db' };
    const config = load({ flags: { ...live, replayFrom: '2026-11-24T06:00:00Z' } });
    expect(config.input.kind === 'kafka' && config.input.replayFrom).toBe(
      Date.parse('2026-11-24T06:00:00Z'),
    );
    const none = load({ flags: live });
    expect(none.input.kind === 'kafka' && none.input.replayFrom).toBeNull();
    expect(problemOf({ flags: { ...live, replayFrom: 'yesterday' } })).toMatch(
      /--replay-from.*"yesterday" is not an ISO 8601 time/u,
    );
    expect(
      problemOf({ flags: { template: 't.json', input: 'd/', db: 'sqlite:w.db', replayFrom: '0' } }),
    ).toMatch(/--replay-from applies to --kafka only/u);
  });

  it('rejects malformed brokers', () => {
    expect(problemOf({ flags: { template: 't', db: 'sqlite:x', kafka: 'localhost' } })).toContain(
      'each broker must be host:port',
    );
  });

  it('masks database passwords in error messages', () => {
    const message = problemOf({
      flags: { template: 't', input: 'd', db: 'mariadb://weft:s3cret@db:3306/weft' },
    });
    expect(message).not.toContain('s3cret');
    expect(message).toContain('weft:***@');
  });

  it('reports unreadable, non-JSON and unknown-key config files by path', () => {
    expect(problemOf({ flags: { config: 'missing.json' } })).toMatch(/cannot read .*missing\.json/);
    expect(problemOf({ env: { WEFT_CONFIG: 'bad.json' }, readFile: () => '{' })).toMatch(
      /bad\.json is not valid JSON/,
    );
    expect(problemOf({ flags: { config: 'c.json' }, readFile: () => '{"dbUrl":"x"}' })).toMatch(
      /unknown setting\(s\) dbUrl/,
    );
    expect(problemOf({ flags: { config: 'c.json' }, readFile: () => '[1]' })).toMatch(
      /must hold a JSON object/,
    );
  });

  it('names the file key when a file value is invalid', () => {
    const message = problemOf({
      flags: { template: 't', input: 'd', db: 'sqlite:x', config: 'c.json' },
      readFile: () => '{"maxJsonDepth":-3}',
    });
    expect(message).toContain('"maxJsonDepth" in c.json');
  });
});
