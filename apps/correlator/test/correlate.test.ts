import { spawnSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { applyMigrations, openStore } from '@weft/storage';
import type { Session } from '@weft/templates';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../src/cli.js';
import { runCorrelate } from '../src/correlate/run-correlate.js';
import type { CorrelateDeps } from '../src/correlate/run-correlate.js';
import { createLogger } from '../src/logging.js';
import type { CorrelationJob } from '../src/run/index.js';
import {
  contentOf,
  requireBuiltCli,
  scratchDir,
  storedSessions,
  weft,
} from './integration/live-harness.js';

const example = fileURLToPath(
  new URL('../../../packages/templates/examples/in-app-purchase.json', import.meta.url),
);

/** Stand-in for the engine's job: one final session per client_order line. */
function oneSessionPerLine(templateId: string, sources: string[]): CorrelationJob {
  const sessions: Session[] = [];
  return {
    templateId,
    sources,
    push(input) {
      if (input.source !== 'client_order') return [];
      const key = String((JSON.parse(input.raw) as { order_id?: unknown }).order_id);
      sessions.push({
        sessionId: `${templateId}/${key}/0`,
        templateId,
        templateVersion: 1,
        businessKey: key,
        version: 1,
        status: 'closed',
        fireReason: 'final',
        start: 0,
        end: 0,
        nodes: [],
        fields: { order_id: key },
        verdicts: [],
        verdict: null,
        mergedInto: null,
      });
      return [];
    },
    advanceProcessingTime: () => [],
    finish: () => sessions.map((session) => ({ kind: 'session' as const, session })),
    openSessions: () => 0,
  };
}

describe('weft correlate', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'weft-correlate-'));
  });

  afterEach(async () => {
    process.exitCode = undefined;
    vi.restoreAllMocks();
    await rm(dir, { recursive: true, force: true });
  });

  function deps(flags: Record<string, unknown>, out: string[] = []): CorrelateDeps {
    return {
      flags,
      env: {},
      readFile: () => '{}',
      jobFactory: (template) =>
        oneSessionPerLine(
          template.id,
          template.sources.filter((s) => s.kind !== 'sql').map((s) => s.id),
        ),
      out: (line) => out.push(line),
      now: () => 1_764_000_000_000,
      logger: createLogger({ level: 'silent' }),
    };
  }

  it('runs a bounded input into the store and prints a summary', async () => {
    const input = join(dir, 'input');
    await mkdir(input);
    await writeFile(
      join(input, 'client_order.ndjson'),
      '{"ts":1764000000123,"order_id":"O1"}\n{"ts":1764000000999,"order_id":"O2"}\n{broken\n',
    );
    const db = `sqlite:${join(dir, 'weft.db')}`;
    const out: string[] = [];
    const summary = await runCorrelate(deps({ template: example, input, db }, out));

    expect(summary.sessions).toBe(2);
    expect(summary.deadLetters).toEqual({ invalid_json: 1 });
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/^correlated in-app-purchase: 3 inputs \(client_order 3\); 2 sessions/);
    expect(out[0]).toContain('1 dead letters (invalid_json 1)');
    const store = await openStore(db);
    try {
      await applyMigrations(store);
      expect((await store.sessions.get('in-app-purchase/O2/0'))?.fields.order_id).toBe('O2');
      const letters = await store.deadLetters.list({ templateId: 'in-app-purchase' });
      expect(letters.map((l) => [l.raw, l.origin.line])).toEqual([['{broken', 3]]);
    } finally {
      await store.close();
    }
  });

  it('reads one source from stdin (--stdin) next to the files of --input', async () => {
    const input = join(dir, 'input');
    await mkdir(input);
    await writeFile(
      join(input, 'pay_done.ndjson'),
      '{"event_time_ms":1764000030000,"order_id":"O1"}\n',
    );
    const stdin = Readable.from([
      '{"ts":1764000000123,"order_id":"O1"}\n{"ts":1764000000',
      '999,"order_id":"O2"}\n{broken\n',
    ]);
    const out: string[] = [];
    const summary = await runCorrelate({
      ...deps(
        { template: example, input, stdin: 'client_order', db: `sqlite:${join(dir, 'w.db')}` },
        out,
      ),
      stdin,
    });

    expect(summary.inputs).toEqual({ client_order: 3, pay_done: 1 });
    expect(summary.sessions).toBe(2);
    expect(summary.deadLetters).toEqual({ invalid_json: 1 });
    expect(summary.missingSources).not.toContain('client_order');
    const store = await openStore(`sqlite:${join(dir, 'w.db')}`);
    try {
      const letters = await store.deadLetters.list({ templateId: 'in-app-purchase' });
      expect(letters.map((l) => [l.raw, l.origin.file, l.origin.line])).toEqual([
        ['{broken', '-', 3],
      ]);
    } finally {
      await store.close();
    }
  });

  it('names --stdin when its source is not one of the template', async () => {
    await expect(
      runCorrelate({
        ...deps({ template: example, stdin: 'payments', db: `sqlite:${join(dir, 'w.db')}` }),
        stdin: Readable.from([]),
      }),
    ).rejects.toThrow(
      /--stdin payments is not an event source of template in-app-purchase; its sources are client_order, /,
    );
  });

  it('reports an invalid template file as a usage error', async () => {
    const bad = join(dir, 'bad.json');
    await writeFile(bad, JSON.stringify({ id: 'x' }));
    await expect(
      runCorrelate(deps({ template: bad, input: dir, db: `sqlite:${join(dir, 'w.db')}` })),
    ).rejects.toThrow(/template .*bad\.json: template is invalid/);
  });

  it('exits 2 naming every missing or invalid setting', async () => {
    const errors: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((line: string) => void errors.push(line));
    await main(['node', 'weft', 'correlate', '--input', dir, '--http-port', 'x']);
    expect(process.exitCode).toBe(2);
    expect(errors.join('\n')).toMatch(/--template \(or WEFT_TEMPLATE\) is required/);
    expect(errors.join('\n')).toMatch(/--db \(or WEFT_DB\) is required/);
    expect(errors.join('\n')).toMatch(/--http-port/);
  });

  it('runs through the CLI with the engine job and exits 0 with the summary on stdout', async () => {
    const lines: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(line));
    const input = join(dir, 'in');
    await mkdir(input);
    await writeFile(
      join(input, 'pay_done.ndjson'),
      '{"event_time_ms":1764000030000,"order_id":"O1"}\n',
    );
    await main([
      'node',
      'weft',
      'correlate',
      '--template',
      example,
      '--input',
      input,
      '--db',
      `sqlite:${join(dir, 'w.db')}`,
      '--log-level',
      'silent',
    ]);
    expect(process.exitCode ?? 0).toBe(0);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^correlated in-app-purchase: 1 inputs \(pay_done 1\); 1 sessions/);
  });
});

describe('weft correlate --stdin (built CLI, engine job)', () => {
  it('stores the same sessions as when the source is a file of --input', async () => {
    const scratch = await scratchDir();
    try {
      const all = join(scratch.path, 'all');
      const simulated = weft(['simulate', '--out', all, '--orders', '40', '--seed', '21']);
      expect(simulated.status, simulated.stderr).toBe(0);
      const rest = join(scratch.path, 'rest');
      await mkdir(rest);
      for (const file of await readdir(all)) {
        if (file !== 'pay_done.ndjson') await copyFile(join(all, file), join(rest, file));
      }
      const fromFiles = `sqlite:${join(scratch.path, 'files.db')}`;
      const fromStdin = `sqlite:${join(scratch.path, 'stdin.db')}`;
      const args = ['correlate', '--template', example, '--log-level', 'warn'];
      expect(weft([...args, '--input', all, '--db', fromFiles]).status).toBe(0);

      const piped = spawnSync(
        'node',
        [requireBuiltCli(), ...args, '--input', rest, '--stdin', 'pay_done', '--db', fromStdin],
        { input: await readFile(join(all, 'pay_done.ndjson')), encoding: 'utf8' },
      );
      expect(piped.status, piped.stderr).toBe(0);
      expect(piped.stdout).toMatch(/pay_done \d+/u);

      const expected = (await storedSessions(fromFiles, 'in-app-purchase')).map(contentOf);
      expect(expected.length).toBeGreaterThanOrEqual(40);
      expect((await storedSessions(fromStdin, 'in-app-purchase')).map(contentOf).sort()).toEqual(
        expected.sort(),
      );
    } finally {
      await scratch.dispose();
    }
  });
});
