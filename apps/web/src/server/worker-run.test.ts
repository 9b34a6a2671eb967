import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runInWorker, WORKER_READY, WorkerFailedError, WorkerTimeoutError } from './worker-run';

const dir = mkdtempSync(path.join(tmpdir(), 'weft-worker-'));

/** A worker file: `load` runs while loading, then it signals it is ready and `body` handles the request. */
function workerFile(name: string, body: string, load = ''): string {
  const file = path.join(dir, `${name}.mjs`);
  writeFileSync(
    file,
    `import { parentPort } from 'node:worker_threads';\n${load}\n${body}\nparentPort.postMessage(${JSON.stringify(WORKER_READY)});\n`,
  );
  return file;
}

const limits = { timeoutMs: 2_000, maxHeapMb: 64 };

describe('runInWorker', () => {
  it('answers with the worker message', async () => {
    const file = workerFile(
      'echo',
      `parentPort.once('message', (m) => parentPort.postMessage({ twice: m.n * 2 }));`,
    );
    await expect(runInWorker(file, { n: 21 }, limits)).resolves.toEqual({ twice: 42 });
  });

  it('stops a worker that runs past its budget', async () => {
    const file = workerFile('spin', `parentPort.once('message', () => { for (;;) {} });`);
    const started = Date.now();
    await expect(runInWorker(file, {}, { ...limits, timeoutMs: 300 })).rejects.toBeInstanceOf(
      WorkerTimeoutError,
    );
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('starts the budget once the worker has loaded, so slow loading is not held against the input', async () => {
    const file = workerFile(
      'slow-load',
      `parentPort.once('message', (m) => parentPort.postMessage({ twice: m.n * 2 }));`,
      `const until = Date.now() + 600; while (Date.now() < until) {}`,
    );
    await expect(runInWorker(file, { n: 2 }, { ...limits, timeoutMs: 300 })).resolves.toEqual({
      twice: 4,
    });
  });

  it('gives up on a worker that never finishes loading', async () => {
    const file = workerFile('never-ready', '', `for (;;) {}`);
    await expect(runInWorker(file, {}, { ...limits, loadTimeoutMs: 300 })).rejects.toThrow(
      /did not load within 300 ms/,
    );
  });

  it('stops a worker that exhausts its heap', async () => {
    const file = workerFile(
      'hog',
      `parentPort.once('message', () => { const a = []; for (;;) a.push(new Array(1e5).fill(a.length)); });`,
    );
    await expect(
      runInWorker(file, {}, { timeoutMs: 20_000, maxHeapMb: 16 }),
    ).rejects.toBeInstanceOf(WorkerFailedError);
  });

  it('reports a worker that fails to load', async () => {
    const file = workerFile('broken', `throw new Error('cannot load');`);
    await expect(runInWorker(file, {}, limits)).rejects.toThrow(/cannot load/);
  });
});
