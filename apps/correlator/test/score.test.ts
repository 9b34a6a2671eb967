import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Session } from '@weft/templates';
import type { ScoreReport, TruthSession } from '@weft/simulator';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildProgram } from '../src/cli.js';

const root = mkdtempSync(join(tmpdir(), 'weft-score-cli-'));
const data = join(root, 'data');
afterAll(() => rmSync(root, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

async function weft(...args: string[]): Promise<string> {
  const out: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((line: string) => void out.push(line));
  await buildProgram().parseAsync(['node', 'weft', ...args]);
  return out.join('\n');
}

function session(id: string, conclusion: string | null, records: string[]): Session {
  const verdict =
    conclusion === null
      ? null
      : { conclusion, label: conclusion, severity: 'info' as const, explanation: '', inputs: {} };
  return {
    sessionId: id,
    templateId: 'in-app-purchase',
    templateVersion: 1,
    businessKey: id,
    version: 1,
    status: 'closed',
    fireReason: 'final',
    start: 0,
    end: 0,
    nodes: [
      {
        node: 'all',
        kind: 'baseline',
        records: records.map((record) => ({
          recordId: record,
          source: 'x',
          eventTime: 0,
          raw: { _sim: { session: 'hidden', record } },
          fields: {},
          late: false,
        })),
      },
    ],
    fields: {},
    verdicts: verdict === null ? [] : [verdict],
    verdict,
    mergedInto: null,
  };
}

let truth: TruthSession[];

beforeAll(async () => {
  vi.spyOn(console, 'log').mockImplementation(() => undefined);
  await buildProgram().parseAsync([
    'node',
    'weft',
    'simulate',
    '--orders',
    '200',
    '--seed',
    '6',
    '--out',
    data,
  ]);
  vi.restoreAllMocks();
  const lines = readFileSync(join(data, 'truth.ndjson'), 'utf8').split('\n').filter(Boolean);
  truth = lines.map((line) => JSON.parse(line) as TruthSession);
});

function writeSessions(name: string, sessions: Session[]): string {
  const file = join(root, name);
  writeFileSync(file, sessions.map((s) => JSON.stringify(s)).join('\n'));
  return file;
}

const perfect = () =>
  truth.flatMap((t) => t.expected.map((e) => session(e.id, e.conclusion, e.records)));

describe('weft score', () => {
  it('reports precision = recall = 1 and every conclusion right for the perfect sessions (--json)', async () => {
    const file = writeSessions('perfect.ndjson', perfect());
    const report = JSON.parse(
      await weft('score', '--truth', join(data, 'truth.ndjson'), '--sessions', file, '--json'),
    ) as ScoreReport;
    expect(report.assignment.pairwise.precision).toBe(1);
    expect(report.assignment.pairwise.recall).toBe(1);
    expect(report.conclusions.accuracy).toBe(1);
    expect(report.totals.predictedSessions).toBe(report.totals.expectedSessions);
  });

  it('prints a readable report with the merge it finds', async () => {
    const [first, second, ...rest] = perfect();
    const merged = session(
      'merged',
      'ok',
      [...(first?.nodes[0]?.records ?? []), ...(second?.nodes[0]?.records ?? [])].map(
        (r) => r.recordId,
      ),
    );
    const file = writeSessions('merged.ndjson', [merged, ...rest]);
    const text = await weft('score', '--truth', join(data, 'truth.ndjson'), '--sessions', file);
    expect(text).toContain('merge errors 1');
    expect(text).toMatch(/precision \d+\.\d\d%/);
    expect(text).toContain('expected \\ predicted');
  });

  it('rejects a sessions file that is not NDJSON of Session objects, with the line number', async () => {
    const file = join(root, 'bad.ndjson');
    writeFileSync(file, `${JSON.stringify(perfect()[0])}\n{"sessionId":1}\n`);
    await expect(
      weft('score', '--truth', join(data, 'truth.ndjson'), '--sessions', file),
    ).rejects.toThrow(/line 2 is not a Session/);
    await expect(
      weft('score', '--truth', join(root, 'missing.ndjson'), '--sessions', file),
    ).rejects.toThrow(/cannot read --truth/);
  });
});
