import type { DeadLetter, LateRecord, Orphan, Session, SessionRetraction } from '@weft/templates';
import { describe, expect, it } from 'vitest';
import { replayCutoff } from './replay-cutoff.js';
import type { SinkItem } from './sink.js';

const T = 1_000_000;

const record = (eventTime: number) => ({
  recordId: `r${String(eventTime)}`,
  source: 'pay_done',
  eventTime,
  raw: {},
  fields: {},
  late: false,
});
const session = (start: number, end: number): SinkItem => ({
  kind: 'session',
  session: { sessionId: `s${String(start)}`, start, end } as unknown as Session,
});
const orphan = (eventTime: number): SinkItem => ({
  kind: 'orphan',
  orphan: { templateId: 't', node: 'callback', record: record(eventTime), keys: {} } as Orphan,
});
const late = (eventTime: number): SinkItem => ({
  kind: 'late',
  late: { templateId: 't', node: 'pay_done', record: record(eventTime) } as unknown as LateRecord,
});

describe('replayCutoff', () => {
  it('drops sessions that ended, and orphans whose record is, before the cut-off', () => {
    const retraction: SinkItem = {
      kind: 'retraction',
      retraction: { sessionId: 's1' } as SessionRetraction,
    };
    const deadLetter: SinkItem = { kind: 'deadLetter', deadLetter: { source: 'x' } as DeadLetter };
    const items = [
      session(T - 50, T - 1),
      session(T - 50, T),
      session(T + 5, T + 9),
      retraction,
      orphan(T - 1),
      orphan(T),
      deadLetter,
    ];
    expect(replayCutoff(T)(items)).toEqual([
      session(T - 50, T),
      session(T + 5, T + 9),
      retraction,
      orphan(T),
      deadLetter,
    ]);
  });

  it('passes late records of any time: their reprocessing works on the stored sessions', () => {
    expect(replayCutoff(T)([late(T - 1_000), late(T + 1)])).toEqual([late(T - 1_000), late(T + 1)]);
  });
});
