import { spawn, spawnSync } from 'node:child_process';
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
} from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { BenchResult, NotMeasured } from './results.js';
import { parseBenchResult } from './results.js';

/** The packages issue #9 asks figures of; listed as "not measured" when they have no bench script. */
export const REQUIRED_PACKAGES = ['@weft/engine', '@weft/storage', '@weft/correlator', '@weft/web'];

interface Workspace {
  readonly name: string;
  readonly dir: string;
  readonly hasBench: boolean;
}

/** The workspaces under packages/ and apps/ (the root's workspace globs), sorted by name. */
export function workspaces(root: string): Workspace[] {
  return ['packages', 'apps']
    .flatMap((group) => readdirSync(join(root, group)).map((d) => join(root, group, d)))
    .filter((dir) => existsSync(join(dir, 'package.json')))
    .map((dir) => {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        name: string;
        scripts?: Record<string, string>;
      };
      return { name: pkg.name, dir, hasBench: typeof pkg.scripts?.bench === 'string' };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** `export K=V` lines of scripts/services/all.sh env, as an environment. */
export function parseEnvExports(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const match of text.matchAll(/^export ([A-Z_][A-Z0-9_]*)=(.*)$/gm)) {
    env[match[1]!] = match[2]!.replace(/^(['"])(.*)\1$/, '$2');
  }
  return env;
}

function servicesEnv(root: string): Record<string, string> {
  const result = spawnSync('bash', [join(root, 'scripts/services/all.sh'), 'env'], {
    encoding: 'utf8',
  });
  return result.status === 0 ? parseEnvExports(result.stdout) : {};
}

export interface PackageBenchOptions {
  readonly root: string;
  readonly mode: 'quick' | 'full';
  readonly timeoutMs: number;
}

function runOne(o: PackageBenchOptions, ws: Workspace, jsonFile: string, env: NodeJS.ProcessEnv) {
  const short = ws.name.replace(/^@weft\//, '');
  const logFile = join(o.root, 'bench', 'data', 'logs', `${short}.log`);
  const log = createWriteStream(logFile);
  console.error(
    `bench: npm run bench -w ${ws.name} -- --json ${relative(o.root, jsonFile)} (log: ${relative(o.root, logFile)})`,
  );
  return new Promise<{ code: number | null; signal: string | null; logFile: string }>((resolve) => {
    const child = spawn('npm', ['run', 'bench', '-w', ws.name, '--', '--json', jsonFile], {
      cwd: o.root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: o.timeoutMs,
      killSignal: 'SIGKILL',
    });
    child.stdout.pipe(log, { end: false });
    child.stderr.pipe(log, { end: false });
    child.on('close', (code, signal) => {
      log.end();
      resolve({ code, signal, logFile });
    });
  });
}

/** The last lines of a log that say something: npm's own lines, stack frames and blanks left out. */
export function lastLines(text: string): string {
  const noise = /^npm (warn|error)|^\s+at |^\s*$|^Node\.js v|^\s*\^+\s*$/;
  const lines = text.split('\n').filter((l) => !noise.test(l));
  return lines.slice(-3).join(' | ').slice(0, 400);
}

/**
 * Runs `npm run bench -w <pkg> -- --json FILE` for every workspace with a
 * bench script (as a black box, with the shared services' environment and
 * WEFT_BENCH_SCALE=quick|full) and parses what it wrote. A package without a
 * script, a failed run or a missing or invalid JSON is reported, not fatal.
 */
export interface PackageResult {
  readonly result: BenchResult;
  /** The 1-minute load average when the harness started the benchmark. */
  readonly loadAverage1m: number;
}

export async function runPackageBenches(
  o: PackageBenchOptions,
): Promise<{ results: PackageResult[]; notMeasured: NotMeasured[] }> {
  // Outside the repository: `prettier --check .` would read JSON left under bench/data.
  const outDir = join(tmpdir(), 'weft-bench');
  mkdirSync(outDir, { recursive: true });
  mkdirSync(join(o.root, 'bench', 'data', 'logs'), { recursive: true });
  const env = { ...process.env, ...servicesEnv(o.root), WEFT_BENCH_SCALE: o.mode };
  const results: PackageResult[] = [];
  const notMeasured: NotMeasured[] = [];
  for (const ws of workspaces(o.root)) {
    if (!ws.hasBench) {
      if (REQUIRED_PACKAGES.includes(ws.name))
        notMeasured.push({ name: ws.name, reason: 'the package has no "bench" script yet' });
      continue;
    }
    const jsonFile = join(outDir, `${ws.name.replace(/^@weft\//, '')}.json`);
    rmSync(jsonFile, { force: true });
    const loadAverage1m = Number(loadavg()[0]!.toFixed(2));
    const run = await runOne(o, ws, jsonFile, env);
    const log = relative(o.root, run.logFile);
    if (!existsSync(jsonFile)) {
      const how = run.signal
        ? `was killed (${run.signal}; timeout ${String(o.timeoutMs / 1000)} s)`
        : `exited ${String(run.code)}`;
      notMeasured.push({
        name: ws.name,
        reason: `its bench ${how} without writing --json FILE (not implemented yet?); last output: ${lastLines(readFileSync(run.logFile, 'utf8'))} (full log: ${log})`,
      });
      continue;
    }
    try {
      const result = parseBenchResult(
        JSON.parse(readFileSync(jsonFile, 'utf8')),
        `${ws.name}'s --json output`,
      );
      results.push({ result, loadAverage1m });
      if (run.code !== 0)
        console.error(
          `bench: ${ws.name} wrote its JSON but exited ${String(run.code)}; see ${log}`,
        );
    } catch (error) {
      notMeasured.push({ name: ws.name, reason: (error as Error).message });
    }
  }
  return { results, notMeasured };
}
