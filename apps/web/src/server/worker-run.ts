import { Worker } from 'node:worker_threads';

/** The work took longer than its budget; the worker was terminated. */
export class WorkerTimeoutError extends Error {
  override name = 'WorkerTimeoutError' as const;
  constructor(readonly timeoutMs: number) {
    super(
      `the work did not finish within ${timeoutMs} ms and was stopped: use fewer or smaller inputs`,
    );
  }
}

/** The worker died (out of memory, crashed while loading) before it answered. */
export class WorkerFailedError extends Error {
  override name = 'WorkerFailedError' as const;
}

export interface WorkerLimits {
  /** Wall time the work may take, counted from when the worker has loaded its modules. */
  timeoutMs: number;
  /** V8 old-generation heap cap of the worker. */
  maxHeapMb: number;
  /** Wall time loading the worker's modules may take (default 30 s). */
  loadTimeoutMs?: number;
}

/** What a worker file posts once its modules are loaded and it listens for its one request. */
export const WORKER_READY = 'weft:worker-ready';

/**
 * Runs one request in a fresh worker thread under a time and memory budget,
 * so that user input (a draft template, its samples) can never stall or
 * exhaust the server. The worker file posts {@link WORKER_READY} once loaded,
 * then answers the first message it gets with one message. The time budget
 * starts at that signal: loading the modules is the server's cost, not the
 * input's, and on a busy machine it alone can take seconds.
 *
 * @example await runInWorker<Answer>('/abs/worker.mjs', { template, inputs }, { timeoutMs: 3000, maxHeapMb: 128 })
 */
export function runInWorker<T>(file: string, message: unknown, limits: WorkerLimits): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const worker = new Worker(file, {
      resourceLimits: { maxOldGenerationSizeMb: limits.maxHeapMb },
      // Not the parent's flags: test runners add resolve conditions that point
      // workspace packages at their TypeScript sources, which Node cannot load.
      execArgv: [],
      stdout: false,
      stderr: false,
    });
    let settled = false;
    const finish = (settle: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      settle();
      void worker.terminate();
    };
    const loadTimeoutMs = limits.loadTimeoutMs ?? 30_000;
    let timer = setTimeout(
      () =>
        finish(() =>
          reject(new WorkerFailedError(`the worker did not load within ${loadTimeoutMs} ms`)),
        ),
      loadTimeoutMs,
    );
    worker.on('message', (answer: unknown) => {
      if (answer !== WORKER_READY) return finish(() => resolve(answer as T));
      clearTimeout(timer);
      timer = setTimeout(
        () => finish(() => reject(new WorkerTimeoutError(limits.timeoutMs))),
        limits.timeoutMs,
      );
      worker.postMessage(message);
    });
    worker.once('error', (error) =>
      finish(() => reject(new WorkerFailedError(`the worker failed: ${error.message}`))),
    );
    worker.once('exit', (code) =>
      finish(() =>
        reject(new WorkerFailedError(`the worker exited (code ${code}) without answering`)),
      ),
    );
  });
}
