#!/usr/bin/env node
// `npm run bench [-- options]`: runs the benchmark harness (bench/src/main.ts, TypeScript through tsx).
// See docs/benchmarks.md "Reproduce" and `npm run bench -- --help`.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', 'bench/src/main.ts', ...process.argv.slice(2)],
  { cwd: root, stdio: 'inherit' },
);
if (result.error) throw result.error;
process.exit(result.status ?? 1);
