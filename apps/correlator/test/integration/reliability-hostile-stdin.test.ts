import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hostileRecords, parseTruthLines } from '@weft/simulator';
import { openStore } from '@weft/storage';
import type { StoredDeadLetter } from '@weft/storage';
import type { Session } from '@weft/templates';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli.js';
import type { RunSummary } from '../../src/run/index.js';
import { inAppPurchaseTemplate } from '../support/bounded-correlate.js';
import {
  expectExactCorrelation,
  HOSTILE_COUNT,
  memorySummary,
  prototypeGuardOptions,
} from '../support/reliability-hostile.js';

const runner = fileURLToPath(new URL('../support/reliability-stdin-runner.ts', import.meta.url));
const STDIN_SOURCE = 'pay_done';
/** Peak resident memory of the runner process (measured ~300 MiB). */
const RSS_LIMIT_MIB = 768;

/**
 * Issue #10, hostile input through the stdin source: a process whose standard
 * input is a real pipe reads one source (`pay_done`) from it — its simulated
 * lines with 100,000 adversarial lines and two oversized ones between them —
 * and the other sources from files, through decoding, the engine and the
 * store. Every hostile line must be a dead letter with a reason and its line
 * number on stdin, the valid records must correlate exactly, memory must stay
 * bounded and the prototypes untouched. No `weft` command reads stdin yet, so
 * the runner wires the source and the pipeline pieces directly.
 */
describe('the stdin source on 100,000 hostile lines', () => {
  let dir: string;
  let result: { summary: RunSummary; peakRssBytes: number };
  let stderr: string;
  let stored: Session[];
  let deadLetters: StoredDeadLetter[];
  let simulatedDeadLetters: number;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'weft-stdin-'));
    const data = join(dir, 'data');
    vi.spyOn(console, 'log').mockImplementation(() => undefined);
    await main(['node', 'weft', 'simulate', '--out', data, '--orders', '300', '--seed', '13']);
    vi.restoreAllMocks();
    simulatedDeadLetters = (
      JSON.parse(await readFile(join(data, 'manifest.json'), 'utf8')) as {
        counts: { deadLetters: number };
      }
    ).counts.deadLetters;
    // pay_done comes from stdin only.
    const valid = (await readFile(join(data, `${STDIN_SOURCE}.ndjson`), 'utf8'))
      .split('\n')
      .filter((line) => line !== '');
    await rename(join(data, `${STDIN_SOURCE}.ndjson`), join(dir, 'stdin-valid.ndjson'));
    const hostile = [
      ...[
        ...hostileRecords({
          scenario: 'in-app-purchase',
          count: HOSTILE_COUNT,
          seed: 13,
          hugeSize: 2_000,
        }),
      ].map((r) => r.bytes),
      Buffer.alloc(8 << 20, 'x'),
      Buffer.alloc(3 << 20, '{'),
    ];

    const db = `sqlite:${join(dir, 'weft.db')}`;
    const child = spawn(
      'node',
      [
        '--conditions=weft-source',
        '--import',
        'tsx',
        runner,
        '--template',
        inAppPurchaseTemplate,
        '--dir',
        data,
        '--stdin-source',
        STDIN_SOURCE,
        '--db',
        db,
      ],
      {
        stdio: ['pipe', 'pipe', 'pipe'],
        env: { ...process.env, NODE_OPTIONS: prototypeGuardOptions() },
      },
    );
    let stdout = '';
    stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    await feedInterleaved(child.stdin, valid, hostile);
    expect(await exited, stderr.slice(-3_000)).toBe(0);
    result = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as typeof result;

    const store = await openStore(db);
    try {
      stored = [];
      for await (const session of store.sessions.export({ templateId: 'in-app-purchase' })) {
        stored.push(session);
      }
      deadLetters = await store.deadLetters.list({ limit: 1_000 });
    } finally {
      await store.close();
    }
  }, 900_000);

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('dead-letters every hostile line with a reason', () => {
    const reasons = result.summary.deadLetters;
    const total = Object.values(reasons).reduce((a, b) => a + b, 0);
    expect(total, JSON.stringify(reasons)).toBe(HOSTILE_COUNT + 2 + simulatedDeadLetters);
    for (const reason of Object.keys(reasons)) expect(reason).toMatch(/^[a-z0-9_]+$/u);
    expect(result.summary.inputs[STDIN_SOURCE]).toBeGreaterThan(HOSTILE_COUNT + 2);
  });

  it('stores each with its origin: stdin and the line number', () => {
    const fromStdin = deadLetters.filter((letter) => letter.origin.file === '-');
    expect(fromStdin.length).toBeGreaterThan(900); // of the newest 1,000 read back
    for (const letter of fromStdin) {
      expect(letter.source).toBe(STDIN_SOURCE);
      expect(letter.reason.trim()).not.toBe('');
      expect(letter.origin.line).toBeGreaterThan(0);
    }
    expect(new Set(fromStdin.map((letter) => letter.origin.line)).size).toBe(fromStdin.length);
  });

  it('correlates the valid records around them exactly', async () => {
    const truth = [
      ...parseTruthLines((await readFile(join(dir, 'data', 'truth.ndjson'), 'utf8')).split('\n')),
    ];
    expectExactCorrelation(expect, truth, stored);
  });

  it('keeps memory bounded and the prototypes clean', () => {
    const memory = memorySummary([result.peakRssBytes]);
    console.info(`[weft] hostile-stdin: runner RSS peak ${memory.peakMiB} MiB`);
    expect(memory.peakMiB).toBeLessThan(RSS_LIMIT_MIB);
    expect(stderr).toContain('[weft] prototypes clean');
    expect(JSON.stringify(stored)).not.toContain('polluted');
  });
});

/** Writes the valid lines with the hostile ones spread evenly between them, honouring the pipe's backpressure. */
async function feedInterleaved(
  stdin: NodeJS.WritableStream,
  valid: readonly string[],
  hostile: readonly Buffer[],
): Promise<void> {
  const write = (chunk: Buffer | string) =>
    stdin.write(chunk) ? Promise.resolve() : new Promise<void>((r) => stdin.once('drain', r));
  let next = 0;
  for (let i = 0; i < valid.length; i += 1) {
    await write(`${valid[i]}\n`);
    const share = Math.ceil((hostile.length - next) / (valid.length - i));
    for (let k = 0; k < share && next < hostile.length; k += 1) {
      await write(hostile[next++]!);
      await write('\n');
    }
  }
  stdin.end();
}
