import { describe, expect, it } from 'vitest';
import { fmt, fmtBytes, fmtParams, fmtRange, table } from './format.js';

describe('format', () => {
  it('rounds large numbers with separators and keeps digits on small ones', () => {
    expect(fmt(1234567.8)).toBe('1,234,568');
    expect(fmt(12.345)).toBe('12.3');
    expect(fmt(3)).toBe('3');
    expect(fmt(1.234)).toBe('1.23');
    expect(fmt(0.01234)).toBe('0.012');
  });

  it('shows min–max only when runs differ', () => {
    expect(fmtRange({ median: 2000, min: 1000, max: 3000 })).toBe('2,000 (1,000–3,000)');
    expect(fmtRange({ median: 5, min: 5, max: 5 })).toBe('5');
  });

  it('uses binary units', () => {
    expect(fmtBytes(1536)).toBe('1.50 KiB');
    expect(fmtBytes(3 * 1024 ** 3)).toBe('3 GiB');
  });

  it('escapes pipes in table cells', () => {
    expect(table(['a'], [['x|y']])).toBe('| a |\n| --- |\n| x\\|y |');
    expect(fmtParams({})).toBe('—');
    expect(fmtParams({ p: 2, e: 'weft' })).toBe('p=2, e=weft');
  });
});
