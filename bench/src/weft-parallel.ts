import { Worker } from 'node:worker_threads';
import type { CompiledTemplate } from '@weft/templates';
import { EventTimeHeap } from './event-time-heap.js';
import { feedInEventTimeOrder } from './event-time-feed.js';
import type { FeedTarget } from './event-time-feed.js';
import { createPartitioner } from './partition.js';
import type { Partitioner } from './partition.js';
import type { StreamCounts } from './stream-job.js';
import { sourceOrder } from './weft-job.js';
import type { FromWorker, ToWorker, WorkerData } from './weft-worker.js';

/** Lines sent to a worker per message, and messages a worker may have queued before the reader waits. */
const BATCH = 4096;
const MAX_IN_FLIGHT = 4;

/** What a run at parallelism > 1 produced: the workers' counts summed, and their line files. */
export interface ParallelRun {
  readonly recordsIn: number;
  readonly counts: StreamCounts;
  readonly partitionConflicts: number;
  readonly lineFiles: readonly string[];
  readonly nonAscii: boolean;
  readonly maxHeapUsed: number;
}

type Done = Extract<FromWorker, { type: 'done' }>;

/** One worker thread, its outgoing batch and the flow control of its queue. */
class PartitionWorker {
  private readonly worker: Worker;
  private batch = {
    sources: [] as string[],
    ranks: [] as number[],
    seqs: [] as number[],
    lines: [] as string[],
  };
  private inFlight = 0;
  private wake: (() => void) | null = null;
  private failure: Error | null = null;
  private finished: ((done: Done) => void) | null = null;

  constructor(readonly linesFile: string) {
    const workerData: WorkerData = { linesFile };
    this.worker = new Worker(new URL('./weft-worker-entry.mjs', import.meta.url), { workerData });
    this.worker.on('message', (m: FromWorker) => {
      if (m.type === 'ack') this.inFlight--;
      else if (m.type === 'done') this.finished?.(m);
      else this.failure = new Error(`worker for ${linesFile} failed: ${m.message}`);
      this.wake?.();
    });
    this.worker.on('error', (error) => {
      this.failure = error;
      this.wake?.();
    });
  }

  add(source: string, rank: number, seq: number, raw: string): void {
    const b = this.batch;
    b.sources.push(source);
    b.ranks.push(rank);
    b.seqs.push(seq);
    b.lines.push(raw);
  }

  get pending(): number {
    return this.batch.lines.length;
  }

  /** Sends the batch (with `complete`, if any); waits while the worker has too many messages queued. */
  async send(complete: number | null): Promise<void> {
    const message: ToWorker = { type: 'input', ...this.batch, complete };
    this.batch = { sources: [], ranks: [], seqs: [], lines: [] };
    this.inFlight++;
    this.worker.postMessage(message);
    while (this.inFlight >= MAX_IN_FLIGHT) await this.nextMessage();
  }

  async finish(): Promise<Done> {
    const done = new Promise<Done>((resolve) => (this.finished = resolve));
    this.worker.postMessage({ type: 'finish' } satisfies ToWorker);
    const result = await Promise.race([done, this.nextFailure()]);
    await this.worker.terminate();
    return result;
  }

  private async nextMessage(): Promise<void> {
    if (this.failure !== null) throw this.failure;
    await new Promise<void>((resolve) => (this.wake = resolve));
    if (this.failure !== null) throw this.failure;
  }

  private async nextFailure(): Promise<never> {
    for (;;) await this.nextMessage();
  }
}

interface Gated {
  readonly ts: number;
  readonly rank: number;
  readonly seq: number;
  readonly source: string;
  readonly raw: string;
  readonly value: string;
}

/**
 * The reading thread at parallelism > 1: hash-partitions each line by
 * business key (createPartitioner). A supplement routed by the baseline record
 * carrying its key (a callback by its pay_done's trans_id) waits in a gate
 * until event time is complete up to the earliest anchor it may have
 * (ts − lower), so that record has been routed first.
 */
class PartitioningTarget implements FeedTarget {
  private readonly gates = new Map<string, { ahead: number; heap: EventTimeHeap<Gated> }>();
  private completed = Number.NEGATIVE_INFINITY;

  constructor(
    compiled: CompiledTemplate,
    private readonly partitioner: Partitioner,
    private readonly workers: readonly PartitionWorker[],
  ) {
    for (const s of compiled.template.supplements)
      this.gates.set(s.source, { ahead: Math.max(0, -s.lower), heap: new EventTimeHeap() });
  }

  async lines(source: string, rank: number, firstSeq: number, lines: readonly string[]) {
    let maxTs = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < lines.length; i++) {
      const raw = lines[i]!;
      const route = this.partitioner.route(source, raw);
      if (route.eventTime !== undefined && route.eventTime > maxTs) maxTs = route.eventTime;
      if ('partition' in route) this.workers[route.partition]!.add(source, rank, firstSeq + i, raw);
      else {
        const { eventTime: ts, ownerValue: value } = route;
        this.gates.get(source)!.heap.push({ ts, rank, seq: firstSeq + i, source, raw, value });
      }
    }
    for (const w of this.workers) if (w.pending >= BATCH) await w.send(null);
    return maxTs;
  }

  async complete(ts: number): Promise<void> {
    let workersTs = ts;
    for (const { ahead, heap } of this.gates.values()) {
      heap.popUpTo(ts - ahead, (g) => {
        const p = this.partitioner.ownerOf(g.source, g.value);
        this.workers[p]!.add(g.source, g.rank, g.seq, g.raw);
      });
      workersTs = Math.min(workersTs, heap.minTs - 1);
    }
    if (workersTs > this.completed) {
      this.completed = workersTs;
      await Promise.all(this.workers.map((w) => w.send(workersTs)));
    }
  }
}

const sum = (dones: readonly Done[], pick: (c: StreamCounts) => number) =>
  dones.reduce((total, d) => total + pick(d.counts), 0);

/**
 * Weft at parallelism P: this thread reads the files in event-time order
 * (feedInEventTimeOrder) and partitions the lines over P worker threads, each
 * running a StreamingCorrelation on its partition and writing its sessions'
 * canonical lines to `<linesPrefix>.<p>`.
 */
export async function runParallel(
  compiled: CompiledTemplate,
  dir: string,
  parallelism: number,
  o: {
    readonly outOfOrdernessMs: number;
    readonly linesPrefix: string;
    readonly chunkBytes?: number;
  },
): Promise<ParallelRun> {
  const workers = Array.from(
    { length: parallelism },
    (_, p) => new PartitionWorker(`${o.linesPrefix}.${String(p)}`),
  );
  const partitioner = createPartitioner(compiled, parallelism);
  const target = new PartitioningTarget(compiled, partitioner, workers);
  const { recordsIn } = await feedInEventTimeOrder(
    {
      dir,
      sources: sourceOrder(compiled),
      outOfOrdernessMs: o.outOfOrdernessMs,
      ...(o.chunkBytes !== undefined ? { chunkBytes: o.chunkBytes } : {}),
    },
    target,
  );
  const dones = await Promise.all(workers.map((w) => w.finish()));
  return {
    recordsIn,
    counts: {
      linesIn: sum(dones, (c) => c.linesIn),
      deadLetters: sum(dones, (c) => c.deadLetters),
      late: sum(dones, (c) => c.late),
      orphans: sum(dones, (c) => c.orphans),
      sessions: sum(dones, (c) => c.sessions),
      unreferenced: sum(dones, (c) => c.unreferenced),
      maxBuffered: sum(dones, (c) => c.maxBuffered),
    },
    partitionConflicts: partitioner.conflicts,
    lineFiles: workers.map((w) => w.linesFile),
    nonAscii: dones.some((d) => d.nonAscii),
    maxHeapUsed: Math.max(...dones.map((d) => d.maxHeapUsed)),
  };
}
