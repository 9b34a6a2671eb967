import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runInWorker, WorkerFailedError, WorkerTimeoutError } from './worker-run';

const dir = mkdtempSync(path.join(tmpdir(), 'weft-worker-'));

function workerFile(name: string, body: string): string {
  const file = path.join(dir, `${name}.mjs`);
  writeFileSync(file, `import { parentPort } from 'node:worker_threads';\n${body}\n`);
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
