import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Session } from '@weft/templates';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../logging.js';
import { createMetrics } from '../metrics.js';
import type { Sink, SinkBatch, SinkItem } from '../pipeline/index.js';
import type { CorrelationJob, InputRecord } from './correlation-job.js';
import type { RawInput } from '../sources/index.js';
import { InterruptedError, interleave, runBounded } from './bounded-run.js';

/**
 * A stand-in for the engine's job: one session per `order_id`, fired final at
 * the end; a record without `order_id` is an extraction dead letter.
 */
function fakeJob(): CorrelationJob & { pushed: InputRecord[] } {
  const groups = new Map<string, InputRecord[]>();
  const pushed: InputRecord[] = [];
  return {
    templateId: 'iap',
    sources: ['client_order', 'pay_done'],
    pushed,
    push(input, now): SinkItem[] {
      pushed.push(input);
      const record = JSON.parse(input.raw) as Record<string, unknown>;
      const key = record.order_id;
      if (typeof key !== 'string') {
        return [
          {
            kind: 'deadLetter',
            deadLetter: {
              templateId: 'iap',
              source: input.source,
              reason: 'missing_field: order_id',
              raw: input.raw,
              origin: input.origin,
              at: now,
            },
          },
        ];
      }
      groups.set(key, [...(groups.get(key) ?? []), input]);
      return [];
    },
    advanceProcessingTime: () => [],
    finish: () =>
      [...groups].map(([key, inputs]) => ({ kind: 'session', session: session(key, inputs) })),
    openSessions: () => groups.size,
  };
}

function session(key: string, inputs: InputRecord[]): Session {
  return {
    sessionId: `iap:${key}`,
    templateId: 'iap',
    templateVersion: 1,
    businessKey: key,
    version: 1,
    status: 'closed',
    fireReason: 'final',
    start: 0,
    end: 0,
    nodes: [
      {
        node: 'all',
        kind: 'baseline',
        records: inputs.map((input, i) => ({
          recordId: `${key}-${i}`,
          source: input.source,
          eventTime: 0,
          raw: JSON.parse(input.raw) as unknown,
          fields: {},
          late: false,
        })),
      },
    ],
    fields: {},
    verdicts: [],
    verdict: null,
    mergedInto: null,
  };
}

function memorySink(options: { latencyMs?: number; failFirst?: number } = {}) {
  const batches: SinkBatch[] = [];
  let failures = options.failFirst ?? 0;
  const sink: Sink = {
    async write(batch) {
      await new Promise((resolve) => setTimeout(resolve, options.latencyMs ?? 0));
      if (failures > 0) {
        failures -= 1;
        throw new Error('store down');
      }
      batches.push(batch);
    },
  };
  return { sink, batches };
}

describe('runBounded', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'weft-bounded-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function run(job: CorrelationJob, sink: Sink, maxQueued = 100) {
    const metrics = createMetrics({ processMetrics: false });
    const summary = await runBounded({
      paths: [dir],
      job,
      sink,
      sinkOptions: { batchMaxRecords: 2, batchMaxDelayMs: 5, maxQueued },
      limits: { maxBytes: 1_000, maxDepth: 8 },
      metrics,
      logger: createLogger({ level: 'silent' }),
      now: () => 1_764_000_000_000,
    });
    return { summary, metrics };
  }

  it('reads every source file, dead-letters bad lines, fires at the end and stores everything', async () => {
    await writeFile(
      join(dir, 'client_order.ndjson'),
      '{"order_id":"O1","ts":1}\n{"order_id":"O2","ts":2}\nnot json\n',
    );
    await writeFile(join(dir, 'pay_done.ndjson'), '{"order_id":"O1"}\n{"no_key":true}\n');
    await writeFile(join(dir, 'stray.ndjson'), '{}\n');
    const job = fakeJob();
    const { sink, batches } = memorySink();
    const { summary, metrics } = await run(job, sink);

    expect(summary).toEqual({
      templateId: 'iap',
      inputs: { client_order: 3, pay_done: 2 },
      deadLetters: { invalid_json: 1, missing_field: 1 },
      sessions: 2,
      sessionVersions: 2,
      retractions: 0,
      orphans: 0,
      late: 0,
      missingSources: [],
      unknownFiles: ['stray.ndjson'],
    });
    // Round-robin across sources: the job saw the files interleaved.
    expect(job.pushed.map((p) => `${p.source}:${p.origin.line}`)).toEqual([
      'client_order:1',
      'pay_done:1',
      'client_order:2',
      'pay_done:2',
    ]);
    const stored = batches.flatMap((b) => b.sessions);
    expect(stored.map((s) => [s.sessionId, s.nodes[0]?.records.length])).toEqual([
      ['iap:O1', 2],
      ['iap:O2', 1],
    ]);
    expect(batches.flatMap((b) => b.deadLetters).map((d) => d.origin.line)).toEqual([2, 3]);
    const text = await metrics.registry.metrics();
    expect(text).toContain('weft_records_in_total{source="client_order"} 3');
    expect(text).toContain('weft_records_out_total{source="client_order"} 2');
    expect(text).toContain('weft_session_fires_total{template="iap",reason="final"} 2');
    expect(text).toContain(
      'weft_dead_letters_total{source="client_order",reason="invalid_json"} 1',
    );
  });

  it('reports template sources that have no file', async () => {
    await writeFile(join(dir, 'client_order.ndjson'), '{"order_id":"O1"}\n');
    const { summary } = await run(fakeJob(), memorySink().sink);
    expect(summary.missingSources).toEqual(['pay_done']);
    expect(summary.sessions).toBe(1);
  });

  it('waits for a slow, failing store instead of dropping anything', async () => {
    const lines = Array.from({ length: 40 }, (_, i) => `{"x":${i}`).join('\n');
    await writeFile(join(dir, 'client_order.ndjson'), `${lines}\n`);
    const { sink, batches } = memorySink({ latencyMs: 2, failFirst: 3 });
    const { summary } = await run(fakeJob(), sink, 4);
    expect(summary.deadLetters).toEqual({ invalid_json: 40 });
    const lineNumbers = batches.flatMap((b) => b.deadLetters.map((d) => d.origin.line));
    expect(lineNumbers).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
  });

  it('fails with the directory problem when the input directory is missing', async () => {
    await rm(dir, { recursive: true, force: true });
    await expect(run(fakeJob(), memorySink().sink)).rejects.toThrow(/input directory/);
  });

  it('stops at a signal even while the store is down, instead of retrying forever', async () => {
    await writeFile(
      join(dir, 'client_order.ndjson'),
      '{"order_id":"O1"}\n{"order_id":"O2"}\n{"x":1}\n',
    );
    const stop = new AbortController();
    const down: Sink = {
      write: async () => {
        stop.abort(); // the operator presses Ctrl-C while writes fail
        throw new Error('store down');
      },
    };
    await expect(
      runBounded({
        paths: [dir],
        job: fakeJob(),
        sink: down,
        sinkOptions: { batchMaxRecords: 1, batchMaxDelayMs: 1, maxQueued: 1 },
        limits: { maxBytes: 1_000, maxDepth: 8 },
        metrics: createMetrics({ processMetrics: false }),
        logger: createLogger({ level: 'silent' }),
        now: () => 1_764_000_000_000,
        signal: stop.signal,
      }),
    ).rejects.toThrow(InterruptedError);
  });
});

describe('interleave', () => {
  /** A stream of `n` inputs of `source` that records whether it was closed. */
  function stream(source: string, n: number) {
    const state = { closed: false };
    async function* inputs(): AsyncGenerator<RawInput> {
      try {
        for (let i = 0; i < n; i++) {
          yield { source, bytes: Buffer.from(String(i)), origin: { file: source, line: i + 1 } };
        }
      } finally {
        state.closed = true;
      }
    }
    return { state, inputs: inputs() };
  }

  it('takes one input of each stream in turn until all ended', async () => {
    const a = stream('a', 2);
    const b = stream('b', 3);
    const seen: string[] = [];
    for await (const input of interleave([a.inputs, b.inputs])) {
      seen.push(`${input.source}${input.bytes.toString()}`);
    }
    expect(seen).toEqual(['a0', 'b0', 'a1', 'b1', 'b2']);
  });

  it('closes the streams not yet ended when the reader stops early', async () => {
    const a = stream('a', 1);
    const b = stream('b', 100);
    for await (const input of interleave([a.inputs, b.inputs])) {
      if (input.source === 'b') break;
    }
    expect([a.state.closed, b.state.closed]).toEqual([true, true]);
  });
});
