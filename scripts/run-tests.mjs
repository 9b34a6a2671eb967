// `npm test`: every workspace's tests through turbo (cached when nothing they
// read changed), then one closing summary line over all of them.
import { spawnSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const extra = process.argv.slice(2);
const turbo = spawnSync('npx', ['turbo', 'run', 'test', '--continue', ...extra], {
  cwd: root,
  stdio: 'inherit',
});
const summary = spawnSync('node', ['scripts/test-summary.mjs'], { cwd: root, stdio: 'inherit' });
process.exit(turbo.status || summary.status || 0);
