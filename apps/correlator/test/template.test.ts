import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildProgram } from '../src/cli.js';
import { runDiff, runValidate, type TemplateIo } from '../src/commands/template.js';
import { UsageError } from '../src/errors.js';

const example = fileURLToPath(
  new URL('../../../packages/templates/examples/in-app-purchase.json', import.meta.url),
);
let dir: string;

function capture(): TemplateIo & { outLines: string[]; errLines: string[] } {
  const outLines: string[] = [];
  const errLines: string[] = [];
  return { outLines, errLines, out: (l) => outLines.push(l), err: (l) => errLines.push(l) };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- fixtures edit arbitrary JSON paths
type Json = any;

function writeVariant(name: string, edit: (t: Json) => void): string {
  const t = JSON.parse(readFileSync(example, 'utf8')) as Json;
  edit(t);
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(t));
  return file;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'weft-template-cli-'));
});

afterEach(() => {
  process.exitCode = undefined;
  vi.restoreAllMocks();
});

describe('weft template validate', () => {
  it('prints OK and a summary for a valid template', () => {
    const io = capture();
    expect(runValidate(example, io)).toBe(0);
    expect(io.outLines).toHaveLength(1);
    expect(io.outLines[0]).toContain('OK');
    expect(io.outLines[0]).toContain('in-app-purchase v1 (published)');
    expect(io.outLines[0]).toContain('4 baseline nodes keyed by order_id');
    expect(io.outLines[0]).toContain('8 conclusions');
  });

  it('prints every error with its path and returns 1 for an invalid template', () => {
    const file = writeVariant('bad.json', (t) => {
      t.baseline.nodes[2].source = 'pay_cb';
      t.baseline.gap = '3h';
    });
    const io = capture();
    expect(runValidate(file, io)).toBe(1);
    const text = io.errLines.join('\n');
    expect(text).toContain('baseline.nodes[2].source: "pay_cb" is not a declared source');
    expect(text).toContain('baseline.maxSpan');
    expect(io.errLines.at(-1)).toContain('invalid (2 errors)');
  });

  it('throws a usage error (exit 2) for a file that is not JSON or not readable', () => {
    const notJson = join(dir, 'not.json');
    writeFileSync(notJson, '{ nope');
    expect(() => runValidate(notJson, capture())).toThrow(UsageError);
    expect(() => runValidate(join(dir, 'missing.json'), capture())).toThrow(/cannot read .*ENOENT/);
  });

  it('is wired into the weft program and sets the exit code', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    await buildProgram().parseAsync(['node', 'weft', 'template', 'validate', example]);
    expect(process.exitCode).toBe(0);
    expect(String(log.mock.calls[0]?.[0])).toMatch(/^OK /);
  });
});

describe('weft template diff', () => {
  it('lists changes and says whether a restart is needed', () => {
    const live = writeVariant('live.json', (t) => {
      t.version = 2;
      t.conclusions[1].when = 'count.delivery > 2';
    });
    const io = capture();
    expect(runDiff(example, live, io)).toBe(0);
    expect(io.outLines).toContain(
      'changed conclusions[double_delivery].when: "count.delivery >= 2" → "count.delivery > 2"',
    );
    expect(io.outLines.at(-1)).toContain('can be applied live');

    const restart = writeVariant('restart.json', (t) => {
      t.version = 2;
      t.sources[1].topic = 'weft.src.pay_page.v2';
    });
    const io2 = capture();
    expect(runDiff(example, restart, io2)).toBe(0);
    expect(io2.outLines.at(-1)).toContain('requires a pipeline restart');
  });

  it('returns 1 when either side is invalid', () => {
    const bad = writeVariant('bad-diff.json', (t) => {
      t.supplements[0].anchor = 'nowhere';
    });
    const io = capture();
    expect(runDiff(example, bad, io)).toBe(1);
    expect(io.errLines.join('\n')).toContain('supplements[0].anchor');
  });
});

describe('weft template schema', () => {
  it('prints the JSON Schema', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    await buildProgram().parseAsync(['node', 'weft', 'template', 'schema']);
    const schema = JSON.parse(String(log.mock.calls[0]?.[0])) as {
      title: string;
      required: string[];
    };
    expect(schema.title).toBe('Weft analysis template');
    expect(schema.required).toEqual(expect.arrayContaining(['id', 'sources', 'baseline']));
  });
});
