import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectForExpect, runConformance } from '../src/index.js';

const root = join(import.meta.dirname, '..', 'fixtures', 'conformance');

function casesIn(
  folder: string,
): { file: string; scenario: { name: string; expect: Record<string, unknown> } }[] {
  return readdirSync(folder)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => ({ file, scenario: JSON.parse(readFileSync(join(folder, file), 'utf8')) }));
}

describe.each([
  ['shared vectors (../shared/conformance/cases)', root],
  ['Weft vectors', join(root, 'own')],
])('%s', (_label, folder) => {
  const cases = casesIn(folder);

  it('has vectors to run', () => {
    expect(cases.length).toBeGreaterThan(0);
  });

  it.each(cases)('$file', ({ file, scenario }) => {
    expect(scenario.expect, `${file} has no "expect"`).toBeDefined();
    const output = runConformance(scenario, file);
    expect(projectForExpect(output, scenario.expect)).toEqual(scenario.expect);
  });
});
