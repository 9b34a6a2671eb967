import { describe, expect, it } from 'vitest';
import { mysqlStatementLimits } from './mysql-limits.js';

const MIB = 1024 * 1024;

describe('mysqlStatementLimits', () => {
  it('budgets half the packet less the statement text, keeping the packet as the row limit', () => {
    expect(mysqlStatementLimits(16 * MIB)).toEqual({
      maxParameters: 60_000,
      maxBytes: 8 * MIB - 2048,
      maxPacketBytes: 16 * MIB,
    });
    expect(mysqlStatementLimits(4 * MIB).maxBytes).toBe(2 * MIB - 2048);
  });

  it('caps the budget at 16 MiB and lowers it to the store option', () => {
    expect(mysqlStatementLimits(1024 * MIB).maxBytes).toBe(16 * MIB);
    expect(mysqlStatementLimits(64 * MIB, 64 * 1024)).toMatchObject({
      maxBytes: 64 * 1024,
      maxPacketBytes: 64 * MIB,
    });
    expect(mysqlStatementLimits(16 * MIB, 64 * MIB).maxBytes).toBe(8 * MIB - 2048);
  });
});
