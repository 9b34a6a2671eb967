import type { Session } from '@weft/templates';
import { describe, expect, it } from 'vitest';
import type { SinkItem } from '../pipeline/index.js';
import { latestVersionsOnly, toSinkItem } from './engine-job.js';

function version(sessionId: string, v: number): SinkItem {
  return { kind: 'session', session: { sessionId, version: v } as Session };
}

describe('latestVersionsOnly', () => {
  it('keeps the highest version of each session and every other item, in order', () => {
    const retraction: SinkItem = {
      kind: 'retraction',
      retraction: { sessionId: 'b', templateId: 't', mergedInto: 'a', version: 2 },
    };
    const items = [version('a', 1), version('b', 1), retraction, version('a', 3), version('a', 2)];
    expect(latestVersionsOnly(items)).toEqual([version('b', 1), retraction, version('a', 3)]);
  });
});

describe('toSinkItem', () => {
  it('stamps batch-mode dead letters (at: 0) with the end of the run', () => {
    const item = toSinkItem(
      {
        type: 'deadLetter',
        deadLetter: { templateId: 't', source: 's', reason: 'r', raw: '{', origin: {}, at: 0 },
      },
      42,
    );
    expect(item).toMatchObject({ kind: 'deadLetter', deadLetter: { at: 42, raw: '{' } });
  });
});
