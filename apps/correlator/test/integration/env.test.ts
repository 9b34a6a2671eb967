import { afterEach, describe, expect, it, vi } from 'vitest';
import { serviceEnv } from './env.js';

describe('serviceEnv', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('returns the trimmed value and does not skip when the variable is set', () => {
    const env = serviceEnv('X_URL', 'start.sh', { X_URL: ' host:1 ', CI: 'true' });
    expect(env).toEqual({ value: 'host:1', skip: false });
  });

  it('skips with a visible warning outside CI when the variable is absent', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const env = serviceEnv('X_URL', 'start.sh', {});
    expect(env).toEqual({ value: undefined, skip: true });
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('SKIPPING'));
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('X_URL'));
  });

  it('treats an empty value as absent', () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    expect(serviceEnv('X_URL', 'start.sh', { X_URL: '  ' }).skip).toBe(true);
  });

  it('fails in CI when the variable is absent', () => {
    expect(() => serviceEnv('X_URL', 'start.sh', { CI: 'true' })).toThrow(
      /X_URL is not set and CI=true.*start\.sh/,
    );
  });
});
