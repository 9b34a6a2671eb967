import { vi } from 'vitest';
import { buildProgram } from '../../src/cli.js';

/**
 * Runs `weft ARGS…` in-process and returns the lines it printed with
 * `console.log`; errors propagate (a `UsageError` for bad flags).
 *
 * @example expect(await weft('migrate', '--db', url)).toEqual(['migrated sqlite database: …']);
 */
export async function weft(...args: string[]): Promise<string[]> {
  const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
  try {
    await buildProgram().parseAsync(['node', 'weft', ...args]);
    return log.mock.calls.map((call) => String(call[0]));
  } finally {
    log.mockRestore();
  }
}
