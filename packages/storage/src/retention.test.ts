import { describe, expect, it } from 'vitest';
import { StorageValidationError } from './errors.js';
import { ttlStatements } from './retention.js';

describe('ttlStatements', () => {
  it('expires session rows first and their fields and nodes a grace period later', () => {
    expect(ttlStatements({ maxAgeDays: 90, graceDays: 2 })).toEqual([
      "ALTER TABLE sessions TTL = `stored_at` + INTERVAL 90 DAY TTL_ENABLE = 'ON' TTL_JOB_INTERVAL = '1h'",
      "ALTER TABLE session_fields TTL = `stored_at` + INTERVAL 92 DAY TTL_ENABLE = 'ON' TTL_JOB_INTERVAL = '1h'",
      "ALTER TABLE session_nodes TTL = `stored_at` + INTERVAL 92 DAY TTL_ENABLE = 'ON' TTL_JOB_INTERVAL = '1h'",
    ]);
  });

  it.each([{ maxAgeDays: 0 }, { maxAgeDays: 1.5 }, { maxAgeDays: 90, graceDays: -1 }])(
    'rejects the policy %j with a message naming the field',
    (policy) => {
      expect(() => ttlStatements(policy)).toThrow(StorageValidationError);
      expect(() => ttlStatements(policy)).toThrow(/maxAgeDays|graceDays/u);
    },
  );
});
