import { describe, expect, it } from 'vitest';
import type { Session } from '@weft/templates';
import { BatchTooLargeError, StorageValidationError } from '../errors.js';
import { BATCH_LIMITS, chunkSessionBatch, prepareBatch } from './session-batch.js';

function session(sessionId: string, version: number, extra: Partial<Session> = {}): Session {
  return {
    sessionId,
    templateId: 't',
    templateVersion: 1,
    businessKey: '',
    version,
    status: 'open',
    fireReason: 'complete',
    start: 0,
    end: 0,
    nodes: [],
    fields: {},
    verdicts: [],
    verdict: null,
    mergedInto: null,
    ...extra,
  };
}

describe('prepareBatch', () => {
  it('keeps only the highest version of each session, in id order', () => {
    const prepared = prepareBatch([
      session('b', 1),
      session('a', 3),
      session('b', 4),
      session('a', 2),
    ]);
    expect(prepared.map((s) => [s.sessionId, s.version])).toEqual([
      ['a', 3],
      ['b', 4],
    ]);
  });

  it('rejects values the columns cannot hold, naming them', () => {
    expect(() => prepareBatch([session('', 1)])).toThrow(StorageValidationError);
    expect(() => prepareBatch([session('a', 0)])).toThrow(/version 0/u);
    expect(() => prepareBatch([session('a', 1, { businessKey: 'k'.repeat(256) })])).toThrow(
      /businessKey/u,
    );
    expect(() => prepareBatch([session('a', 1, { fields: { ['f'.repeat(192)]: 1 } })])).toThrow(
      /field name/u,
    );
  });

  it('rejects a batch over the transaction limit', () => {
    const many = Array.from({ length: BATCH_LIMITS.sessions + 1 }, (_, i) => session(`s${i}`, 1));
    expect(() => prepareBatch(many)).toThrow(BatchTooLargeError);
  });
});

describe('chunkSessionBatch', () => {
  it('splits by count and by bytes, keeping order', () => {
    const big = 'x'.repeat(BATCH_LIMITS.bytes / 2);
    const changes = [
      session('a', 1, { fields: { big } }),
      session('b', 1, { fields: { big } }),
      session('c', 1),
    ];
    expect(chunkSessionBatch(changes).map((b) => b.map((s) => s.sessionId))).toEqual([
      ['a'],
      ['b', 'c'],
    ]);
  });
});
