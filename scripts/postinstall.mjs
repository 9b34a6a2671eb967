// After every install: record the dependency fingerprint (see ensure-deps.mjs)
// and build the libraries and the `weft` CLI so that `npx weft …` works at once.
// A build failure is reported but does not fail the install: a half-edited
// working tree must not make dependencies uninstallable.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { depsFingerprint, root, stampFile } from './deps-stamp.mjs';

writeFileSync(stampFile, depsFingerprint() + '\n');

if (process.env.WEFT_SKIP_POSTINSTALL_BUILD !== '1') {
  const build = spawnSync(
    'npx',
    ['turbo', 'run', 'build', '--filter=!@weft/web', '--output-logs=errors-only'],
    { cwd: root, stdio: 'inherit' },
  );
  if (build.status !== 0) {
    console.warn('weft: building the workspace failed; run `npm run build` to see why.');
  }
}
