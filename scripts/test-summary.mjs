// Prints one closing line for the whole monorepo test run, summed over every
// workspace's vitest JSON report (written by vitest.shared.ts):
//   "Tests: N passed, N failed, N skipped"
// Exits non-zero when a workspace that has tests left no report, so a package
// whose tests silently did not run cannot pass unnoticed.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
let passed = 0;
let failed = 0;
let skipped = 0;
const missing = [];

for (const group of ['packages', 'apps']) {
  for (const name of readdirSync(join(root, group)).sort()) {
    const dir = join(root, group, name);
    if (!existsSync(join(dir, 'package.json'))) continue;
    const report = join(dir, 'test-results', 'vitest.json');
    if (!existsSync(report)) {
      missing.push(`${group}/${name}`);
      continue;
    }
    // vitest's report, plus the browser e2e report where a workspace has one.
    for (const file of [report, join(dir, 'test-results', 'e2e.json')]) {
      if (!existsSync(file)) continue;
      const result = JSON.parse(readFileSync(file, 'utf8'));
      passed += result.numPassedTests;
      failed += result.numFailedTests;
      skipped += result.numPendingTests + result.numTodoTests;
      const kind = file === report ? '' : ' (browser e2e)';
      console.log(
        `${group}/${name}${kind}: ${result.numPassedTests} passed, ${result.numFailedTests} failed, ${result.numPendingTests} skipped`,
      );
    }
  }
}
for (const workspace of missing) console.log(`${workspace}: no test report`);
console.log(`Tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || missing.length > 0 ? 1 : 0);
