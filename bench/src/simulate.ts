import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The simulated input of one scale point. */
export interface Dataset {
  readonly dir: string;
  readonly orders: number;
  readonly seed: number;
  /** The exact command that wrote it. */
  readonly command: string;
}

function manifestMatches(dir: string, orders: number, seed: number): boolean {
  const path = join(dir, 'manifest.json');
  if (!existsSync(path)) return false;
  const manifest = JSON.parse(readFileSync(path, 'utf8')) as {
    options?: { orders?: number; seed?: number };
  };
  return manifest.options?.orders === orders && manifest.options.seed === seed;
}

/**
 * Writes `bench/data/iap-<orders>-s<seed>` with `weft simulate` (no faults: the
 * comparison needs sessions both engines must agree on), unless a previous run
 * already wrote the same data (the simulator is deterministic per seed).
 */
export function ensureDataset(root: string, orders: number, seed: number): Dataset {
  const dir = join(root, 'bench', 'data', `iap-${String(orders)}-s${String(seed)}`);
  const args = [
    'simulate',
    '--scenario',
    'in-app-purchase',
    '--orders',
    String(orders),
    '--seed',
    String(seed),
    '--faults',
    'none',
    '--out',
    dir,
  ];
  const command = `node apps/correlator/bin/weft.js ${args.join(' ').replace(root + '/', '')}`;
  if (!manifestMatches(dir, orders, seed)) {
    console.error(`bench: simulating ${String(orders)} orders into ${dir}`);
    const result = spawnSync(
      process.execPath,
      [join(root, 'apps/correlator/bin/weft.js'), ...args],
      {
        cwd: root,
        stdio: ['ignore', 'inherit', 'inherit'],
      },
    );
    if (result.status !== 0)
      throw new Error(
        `"${command}" failed (exit ${String(result.status)}); build the CLI first: npx turbo run build --filter=@weft/correlator...`,
      );
  }
  return { dir, orders, seed, command };
}
