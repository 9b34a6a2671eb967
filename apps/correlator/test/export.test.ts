import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { applyMigrations, openStore } from '@weft/storage';
import { SessionSchema } from '@weft/templates';
import type { Session } from '@weft/templates';
import { buildProgram } from '../src/cli.js';
import { runExport } from '../src/commands/export.js';
import { UsageError } from '../src/errors.js';

function session(id: string, templateId: string): Session {
  return {
    sessionId: id,
    templateId,
    templateVersion: 1,
    businessKey: `key-${id}`,
    version: 2,
    status: 'closed',
    fireReason: 'final',
    start: 1_000,
    end: 2_000,
    nodes: [
      {
        node: 'create',
        kind: 'baseline',
        records: [
          {
            recordId: `r-${id}`,
            source: 'orders',
            eventTime: 1_000,
            raw: { orderId: id, items: [{ sku: 'A', qty: 2 }], note: 'ünïcødé' },
            fields: { orderId: id },
            late: false,
          },
        ],
      },
    ],
    fields: { orderId: id, amount: 12.5 },
    verdicts: [],
    verdict: null,
    mergedInto: null,
  };
}

let dir: string;
let url: string;
const stored = [session('a', 'order'), session('b', 'payment'), session('c', 'order')];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'weft-export-'));
  url = `sqlite:${join(dir, 'weft.db')}`;
  const store = await openStore(url);
  await applyMigrations(store);
  await store.sessions.upsert(stored);
  await store.close();
});

afterEach(() => {
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

async function exportLines(options: { db: string; template?: string }): Promise<string[]> {
  const sink = new PassThrough();
  const chunks: Buffer[] = [];
  sink.on('data', (chunk: Buffer) => chunks.push(chunk));
  await runExport(options, sink);
  return Buffer.concat(chunks)
    .toString('utf8')
    .split('\n')
    .filter((line) => line !== '');
}

describe('weft export', () => {
  it('writes one Session per line, raw records as received', async () => {
    const lines = await exportLines({ db: url });
    const sessions = lines.map((line) => SessionSchema.parse(JSON.parse(line)));
    expect(sessions).toEqual(stored);
  });

  it('exports only the chosen template', async () => {
    const lines = await exportLines({ db: url, template: 'order' });
    expect(lines.map((line) => (JSON.parse(line) as Session).sessionId)).toEqual(['a', 'c']);
  });

  it('writes to --out through the command tree', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const out = join(dir, 'sessions.ndjson');
    await buildProgram().parseAsync(['node', 'weft', 'export', '--db', url, '--out', out]);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines.map((line) => JSON.parse(line) as Session)).toEqual(stored);
  });

  it('turns an unwritable --out and a bad URL into usage errors', async () => {
    await expect(
      buildProgram().parseAsync([
        'node',
        'weft',
        'export',
        '--db',
        url,
        '--out',
        join(dir, 'no', 'such', 'x'),
      ]),
    ).rejects.toThrow(UsageError);
    await expect(
      buildProgram().parseAsync(['node', 'weft', 'export', '--db', 'nope']),
    ).rejects.toThrow(UsageError);
  });
});
