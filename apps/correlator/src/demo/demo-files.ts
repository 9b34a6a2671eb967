import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { messageOf } from '../errors.js';
import { DEMO_SCENARIOS } from './demo-scenarios.js';

/** Where each of the demo's files lives in its data directory. */
export function demoPaths(dataDir: string) {
  const db = path.join(dataDir, 'weft.db');
  return {
    db,
    dbUrl: `sqlite:${db}`,
    /** Written last by the data phase: its presence means the data is complete. */
    manifest: path.join(dataDir, 'demo.json'),
    /** The same file name apps/web uses for its generated secret (src/server/env.ts). */
    authSecret: path.join(dataDir, 'auth-secret'),
    logins: path.join(dataDir, 'demo-logins.json'),
    webLog: path.join(dataDir, 'web.log'),
    buildLog: path.join(dataDir, 'web-build.log'),
    input: (scenario: string) => path.join(dataDir, 'input', scenario),
  };
}

/** Where the live phase keeps its files in the demo's data directory. */
export function demoLivePaths(dataDir: string) {
  return {
    /** `{ "nextOrder": N }`: the first order index no live run has used yet. */
    state: path.join(dataDir, 'live.json'),
    /** The live runs' checkpoints: meaningful only while the in-process topics exist. */
    checkpoints: path.join(dataDir, 'live-checkpoints'),
    /** The correlators' JSON log lines. */
    log: path.join(dataDir, 'correlator.log'),
  };
}

/**
 * Deletes what the demo wrote (store, inputs, manifest, logins), and nothing
 * else: `--data` may point at a directory that holds other files.
 */
export function resetDemoData(dataDir: string): void {
  const paths = demoPaths(dataDir);
  const live = demoLivePaths(dataDir);
  for (const file of [
    paths.db,
    `${paths.db}-wal`,
    `${paths.db}-shm`,
    paths.manifest,
    paths.logins,
    live.state,
    live.log,
  ])
    rmSync(file, { force: true });
  rmSync(live.checkpoints, { recursive: true, force: true });
  for (const { scenario } of DEMO_SCENARIOS)
    rmSync(paths.input(scenario), { recursive: true, force: true });
}

/** A file's JSON, or `{ error }` when it is not JSON: for a schema to reject with its message. */
export function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    return { error: messageOf(error) };
  }
}

/** A random secret kept in `file` (mode 600), created on first use; never in the repository. */
export function persistedSecret(file: string, bytes = 32): string {
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomBytes(bytes).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}
