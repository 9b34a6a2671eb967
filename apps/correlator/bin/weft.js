#!/usr/bin/env node
// The `weft` command. The CLI is compiled to dist/ by `npm run build` (run
// automatically after `npm install`); this shim only points Node at it.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
if (!existsSync(entry)) {
  console.error(
    'weft: the CLI is not built yet (missing apps/correlator/dist/cli.js).\n' +
      'Run `npm install` (it builds the workspace) or `npm run build` from the repository root.',
  );
  process.exit(1);
}
const { main } = await import(entry);
await main(process.argv);
