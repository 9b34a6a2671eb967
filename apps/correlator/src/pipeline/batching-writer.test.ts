import type { DeadLetter, Session } from '@weft/templates';
import { describe, expect, it, vi } from 'vitest';
import { BatchingWriter, WriterStoppedError } from './batching-writer.js';
import type { BatchingWriterOptions } from './batching-writer.js';
import type { Sink, SinkBatch, SinkItem } from './sink.js';

/**
 * A sink stand-in for the store: records every attempted batch, can be slowed
 * down, and fails while `failing` is set (the store is down).
 */
function fakeSink(latencyMs = 0) {
  const written: SinkBatch[] = [];
  const attempts: SinkBatch[] = [];
  const state = { failing: false, latencyMs };
  const sink: Sink = {
    async write(batch) {
      attempts.push(batch);
      await new Promise((resolve) => setTimeout(resolve, state.latencyMs));
      if (state.failing) throw new Error('ECONNREFUSED 127.0.0.1:3306');
      written.push(batch);
    },
  };
  return { sink, written, attempts, state };
}

function deadLetter(n: number): SinkItem {
  const letter: DeadLetter = {
    templateId: 'iap',
    source: 'pay_done',
    reason: 'invalid_json: test',
    raw: String(n),
    origin: { file: 'pay_done.ndjson', line: n },
    at: 0,
  };
  return { kind: 'deadLetter', deadLetter: letter };
}

function session(sessionId: string, version: number): SinkItem {
  const value: Session = {
    sessionId,
    templateId: 'iap',
    templateVersion: 1,
    businessKey: sessionId,
    version,
    status: 'open',
    fireReason: 'complete',
    start: 0,
    end: 0,
    nodes: [],
    fields: {},
    verdicts: [],
    verdict: null,
    mergedInto: null,
  };
  return { kind: 'session', session: value };
}

const rawsOf = (batches: SinkBatch[]) => batches.flatMap((b) => b.deadLetters.map((d) => d.raw));

function writer(sink: Sink, options: Partial<BatchingWriterOptions> = {}) {
  const pressure: boolean[] = [];
  const instance = new BatchingWriter({
    sink,
    maxBatchItems: 3,
    maxDelayMs: 20,
    maxQueued: 6,
    onBackpressure: (paused) => pressure.push(paused),
    retry: { initialDelayMs: 2, maxDelayMs: 8 },
    ...options,
  });
  return { writer: instance, pressure };
}

describe('BatchingWriter', () => {
  it('writes a full batch at once, without waiting for the timer', async () => {
    const fake = fakeSink();
    const { writer: w } = writer(fake.sink, { maxDelayMs: 60_000 });
    await Promise.all([w.enqueue([deadLetter(1), deadLetter(2)]), w.enqueue([deadLetter(3)])]);
    expect(fake.written).toHaveLength(1);
    expect(rawsOf(fake.written)).toEqual(['1', '2', '3']);
  });

  it('writes a partial batch when the delay expires', async () => {
    const fake = fakeSink();
    const { writer: w } = writer(fake.sink, { maxDelayMs: 15 });
    const started = performance.now();
    await w.enqueue([deadLetter(1)]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(10);
    expect(rawsOf(fake.written)).toEqual(['1']);
  });

  it('never exceeds the batch size and keeps arrival order across batches', async () => {
    const fake = fakeSink(1);
    const { writer: w } = writer(fake.sink, { maxQueued: 100 });
    const done = Array.from({ length: 10 }, (_, i) => w.enqueue([deadLetter(i)]));
    await Promise.all(done);
    expect(fake.written.every((b) => b.deadLetters.length <= 3)).toBe(true);
    expect(rawsOf(fake.written)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  });

  it('splits an entry larger than the batch size and resolves it once its last part is durable', async () => {
    const fake = fakeSink(1);
    const { writer: w } = writer(fake.sink, { maxQueued: 100 });
    let firstDone = false;
    const first = w.enqueue(Array.from({ length: 8 }, (_, i) => deadLetter(i))).then(() => {
      firstDone = true;
      // Its last part was written before it resolved.
      expect(rawsOf(fake.written)).toContain('7');
    });
    const second = w.enqueue([deadLetter(8), deadLetter(9)]);
    await Promise.all([first, second]);
    expect(firstDone).toBe(true);
    expect(fake.written.map((b) => b.deadLetters.length)).toEqual([3, 3, 3, 1]);
    expect(rawsOf(fake.written)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(w.queued).toBe(0);
  });

  it('retries the failed part of a split entry, not the parts already durable', async () => {
    const fake = fakeSink();
    let writes = 0;
    const sink: Sink = {
      async write(batch) {
        writes += 1;
        if (writes === 2) throw new Error('store is down');
        await fake.sink.write(batch);
      },
    };
    const split = new BatchingWriter({
      sink,
      maxBatchItems: 3,
      maxDelayMs: 20,
      maxQueued: 100,
      onBackpressure: () => undefined,
      retry: { initialDelayMs: 1, maxDelayMs: 2 },
    });
    await split.enqueue(Array.from({ length: 7 }, (_, i) => deadLetter(i)));
    expect(rawsOf(fake.written)).toEqual(['0', '1', '2', '3', '4', '5', '6']);
    expect(split.queued).toBe(0);
    expect(writes).toBe(4); // three parts, the second one twice
  });

  it('keeps only the highest version of a session within a batch', async () => {
    const fake = fakeSink();
    const { writer: w } = writer(fake.sink);
    await Promise.all([
      w.enqueue([session('s1', 2)]),
      w.enqueue([session('s1', 1)]),
      w.enqueue([session('s2', 1)]),
    ]);
    expect(fake.written[0]?.sessions.map((s) => [s.sessionId, s.version])).toEqual([
      ['s1', 2],
      ['s2', 1],
    ]);
  });

  it('retries a failing store with backoff until it recovers, losing and reordering nothing', async () => {
    const fake = fakeSink();
    const retries: number[] = [];
    const { writer: w } = writer(fake.sink, {
      maxQueued: 100,
      observer: { onRetry: (_error, attempt) => retries.push(attempt) },
    });
    fake.state.failing = true;
    const first = w.enqueue([deadLetter(1), deadLetter(2), deadLetter(3)]);
    const second = w.enqueue([deadLetter(4)]);
    // Wait for three retries however slow the machine is (not a fixed sleep).
    await vi.waitFor(() => expect(retries.length).toBeGreaterThanOrEqual(3), {
      timeout: 10_000,
      interval: 5,
    });
    expect(fake.written).toEqual([]);
    expect(retries.slice(0, 3)).toEqual([1, 2, 3]);
    fake.state.failing = false;
    await Promise.all([first, second]);
    expect(rawsOf(fake.written)).toEqual(['1', '2', '3', '4']);
    // Every attempt carried the same first batch: a retry is the same idempotent write.
    const firstBatches = fake.attempts.filter((b) => b.deadLetters[0]?.raw === '1');
    expect(firstBatches.length).toBe(retries.length + 1);
  });

  it('pauses the sources above the queue bound and resumes once half drained', async () => {
    const fake = fakeSink(5);
    const { writer: w, pressure } = writer(fake.sink, { maxBatchItems: 2, maxQueued: 4 });
    const done = [1, 2, 3, 4, 5].map((n) => w.enqueue([deadLetter(n)]));
    expect(pressure).toEqual([true]);
    expect(w.queued).toBe(5);
    await Promise.all(done);
    expect(pressure).toEqual([true, false]);
    expect(w.queued).toBe(0);
  });

  it('flush resolves only when everything queued so far is durable, including the batch in flight', async () => {
    const fake = fakeSink(10);
    const { writer: w } = writer(fake.sink, { maxDelayMs: 60_000 });
    void w.enqueue([deadLetter(1), deadLetter(2), deadLetter(3)]);
    await new Promise((resolve) => setTimeout(resolve, 2));
    await w.flush();
    expect(rawsOf(fake.written)).toEqual(['1', '2', '3']);
    void w.enqueue([deadLetter(4)]);
    await w.close();
    expect(rawsOf(fake.written)).toEqual(['1', '2', '3', '4']);
  });

  it('stop while the store is down rejects the queued items instead of pretending they were written', async () => {
    const fake = fakeSink();
    const { writer: w } = writer(fake.sink);
    fake.state.failing = true;
    const pending = w.enqueue([deadLetter(1), deadLetter(2), deadLetter(3)]);
    const queuedBehind = w.enqueue([deadLetter(4)]);
    await new Promise((resolve) => setTimeout(resolve, 10));
    w.stop();
    await expect(pending).rejects.toBeInstanceOf(WriterStoppedError);
    await expect(queuedBehind).rejects.toThrow(/replayed from the last committed offsets/);
    await expect(w.enqueue([deadLetter(5)])).rejects.toBeInstanceOf(WriterStoppedError);
    expect(fake.written).toEqual([]);
  });

  it('reports write latency per batch', async () => {
    const fake = fakeSink(5);
    const seconds: number[] = [];
    const { writer: w } = writer(fake.sink, {
      observer: { onWrite: (_batch, s) => seconds.push(s) },
    });
    await w.enqueue([deadLetter(1), deadLetter(2), deadLetter(3)]);
    expect(seconds).toHaveLength(1);
    expect(seconds[0]).toBeGreaterThanOrEqual(0.004);
  });

  it('rejects a batch size above the queue bound', () => {
    expect(() => writer(fakeSink().sink, { maxBatchItems: 10, maxQueued: 5 })).toThrow(
      /batch size 10 must be ≥ 1 and ≤ the queue bound 5/,
    );
  });
});
