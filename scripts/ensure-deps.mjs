// Run before `npm test` and `npm run demo`: fails loudly on a wrong Node
// version and installs dependencies when node_modules is missing or stale, so
// that a fresh clone needs no separate install step.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { depsFingerprint, root, stampFile } from './deps-stamp.mjs';

const [major, minor] = process.versions.node.split('.').map(Number);
const supported = (major === 20 && minor >= 19) || (major === 22 && minor >= 12) || major >= 24;
if (!supported) {
  console.error(
    `weft: Node ${process.versions.node} is not supported. Use Node 20.19+ (see .nvmrc) or 22.12+.`,
  );
  process.exit(1);
}

const current = existsSync(stampFile) ? readFileSync(stampFile, 'utf8').trim() : '';
if (current !== depsFingerprint()) {
  console.error(
    existsSync(stampFile)
      ? 'weft: dependencies changed since the last install; running `npm ci`…'
      : 'weft: dependencies are not installed; running `npm ci`…',
  );
  execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
}
