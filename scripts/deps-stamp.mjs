// The fingerprint of everything that decides what `npm ci` installs: the
// lockfile and every workspace manifest. Shared by ensure-deps and postinstall.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export const root = new URL('..', import.meta.url).pathname;
export const stampFile = join(root, 'node_modules', '.weft-deps-stamp');

export function depsFingerprint() {
  const hash = createHash('sha256');
  const manifests = ['package-lock.json', 'package.json'];
  for (const group of ['apps', 'packages']) {
    const dir = join(root, group);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).sort()) {
      const manifest = join(group, name, 'package.json');
      if (existsSync(join(root, manifest))) manifests.push(manifest);
    }
  }
  for (const file of manifests) {
    hash.update(file).update('\0');
    if (existsSync(join(root, file))) hash.update(readFileSync(join(root, file)));
  }
  return hash.digest('hex');
}
