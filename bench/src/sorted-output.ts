import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, openSync, readFileSync, readSync, writeFileSync } from 'node:fs';

/**
 * Canonical session lines appended to a file, unsorted, while the job runs
 * (one synchronous write per batch); `sortLines` orders them afterwards.
 */
export class LineFile {
  private readonly fd: number;
  /** True once a line held anything but printable ASCII. */
  nonAscii = false;
  lines = 0;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'w');
  }

  write(lines: readonly string[]): void {
    let text = '';
    for (const line of lines) {
      if (!this.nonAscii && !/^[\x20-\x7e]*$/.test(line)) this.nonAscii = true;
      text += `${line}\n`;
    }
    this.lines += lines.length;
    writeFileSync(this.fd, text);
  }

  close(): void {
    closeSync(this.fd);
  }
}

/**
 * Merges files of "\n"-terminated lines into `out`, sorted as `checksum`
 * sorts (JavaScript's default order). Printable-ASCII lines are sorted by
 * `sort` with LC_ALL=C (byte order is UTF-16 order for ASCII), which never
 * holds a large file in memory; other lines are sorted in memory.
 */
export function sortLines(inputs: readonly string[], out: string, nonAscii: boolean): void {
  if (nonAscii) {
    const lines = inputs.flatMap((f) => readFileSync(f, 'utf8').split('\n').slice(0, -1)).sort();
    writeFileSync(out, lines.map((l) => `${l}\n`).join(''));
    return;
  }
  const result = spawnSync('sort', ['-o', out, ...inputs], {
    env: { ...process.env, LC_ALL: 'C' },
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
  });
  if (result.status !== 0)
    throw new Error(
      `sort -o ${out} ${inputs.join(' ')} failed: ${result.stderr || String(result.error)}`,
    );
}

/** SHA-256 of a file of "\n"-terminated lines without its last "\n": the canonical checksum of its lines. */
export function fileChecksum(path: string): string {
  const hash = createHash('sha256');
  const fd = openSync(path, 'r');
  const buffer = Buffer.alloc(1 << 22);
  let held: Buffer | null = null;
  try {
    for (let n = readSync(fd, buffer); n > 0; n = readSync(fd, buffer)) {
      if (held !== null) hash.update(held);
      held = Buffer.from(buffer.subarray(0, n));
    }
  } finally {
    closeSync(fd);
  }
  if (held !== null) hash.update(held[held.length - 1] === 0x0a ? held.subarray(0, -1) : held);
  return hash.digest('hex');
}
