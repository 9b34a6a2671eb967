import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { projectForExpect } from '@weft/engine';
import { buildProgram } from '../src/cli.js';
import { runConformanceFile } from '../src/commands/conformance.js';
import { UsageError } from '../src/errors.js';

const fixtures = fileURLToPath(
  new URL('../../../packages/engine/fixtures/conformance/', import.meta.url),
);
const shared = readdirSync(fixtures).filter((f) => f.endsWith('.json'));
const own = readdirSync(join(fixtures, 'own')).map((f) => join('own', f));
const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));

function writeTemp(name: string, text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'weft-conformance-')), name);
  writeFileSync(file, text);
  return file;
}

afterEach(() => {
  process.exitCode = undefined;
  vi.restoreAllMocks();
});

describe('weft conformance', () => {
  it.each([...shared, ...own])('%s prints an output equal to its expect', (file) => {
    const path = join(fixtures, file);
    const output = JSON.parse(runConformanceFile(path));
    const { expect: expected } = JSON.parse(readFileSync(path, 'utf8'));
    expect(projectForExpect(output, expected)).toEqual(expected);
  });

  it('prints one JSON line through the command tree', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    await buildProgram().parseAsync([
      'node',
      'weft',
      'conformance',
      join(fixtures, 'watermark-idleness.json'),
    ]);
    expect(log).toHaveBeenCalledTimes(1);
    expect(JSON.parse(String(log.mock.calls[0]![0]))).toEqual({
      inspections: [
        { step: 1, watermark: null },
        { step: 3, watermark: 39 },
        { step: 5, watermark: 39 },
        { step: 7, watermark: 289 },
      ],
    });
  });

  it('turns a malformed scenario into a usage error naming the path', () => {
    const file = writeTemp(
      'bad.json',
      JSON.stringify({ name: 'x', operator: 'watermark', config: {}, steps: [] }),
    );
    expect(() => runConformanceFile(file)).toThrow(UsageError);
    expect(() => runConformanceFile(file)).toThrow(/config\.maxOutOfOrdernessMs/);
  });

  it('turns invalid JSON and a missing file into usage errors', () => {
    expect(() => runConformanceFile(writeTemp('x.json', '{'))).toThrow(/is not valid JSON/);
    expect(() => runConformanceFile('/nonexistent/x.json')).toThrow(/cannot read .*ENOENT/);
  });

  it('a weft process exits 0 with JSON on stdout, and 2 with the reason on stderr', () => {
    // Runs main() from source in a real process (no prior build needed); bin/weft.js only imports dist/cli.js's main.
    const weft = (file: string) =>
      spawnSync(
        'node',
        [
          '--conditions=weft-source',
          '--import',
          'tsx',
          '--input-type=module',
          '-e',
          `const { main } = await import(${JSON.stringify(cli)}); await main(process.argv);`,
          'weft',
          'conformance',
          file,
        ],
        { encoding: 'utf8', cwd: fileURLToPath(new URL('..', import.meta.url)) },
      );
    const ok = weft(join(fixtures, 'interval-join-positive.json'));
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    expect(ok.stdout.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(ok.stdout).joined).toHaveLength(5);
    const bad = weft(writeTemp('b.json', '{"operator":"nope"}'));
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('is not a valid conformance scenario');
    expect(bad.stdout).toBe('');
  }, 60_000);
});
