import type { DeadLetter, LateRecord, Orphan, Session, SessionRetraction } from '@weft/templates';
import { describe, expect, it } from 'vitest';
import { withReplayCutoff } from './replay-cutoff.js';
import type { SinkBatch } from './sink.js';

const T = 1_000_000;

const record = (eventTime: number) => ({
  recordId: `r${String(eventTime)}`,
  source: 'pay_done',
  eventTime,
  raw: {},
  fields: {},
  late: false,
});
const session = (start: number, end: number) =>
  ({ sessionId: `s${String(start)}`, start, end }) as unknown as Session;
const orphan = (eventTime: number) =>
  ({ templateId: 't', node: 'callback', record: record(eventTime), keys: {} }) as Orphan;
const late = (eventTime: number) =>
  ({ templateId: 't', node: 'pay_done', record: record(eventTime) }) as unknown as LateRecord;

describe('withReplayCutoff', () => {
  it('drops what ended before the cut-off and passes the rest unchanged', async () => {
    const written: SinkBatch[] = [];
    const sink = withReplayCutoff({ write: (b) => Promise.resolve(void written.push(b)) }, T);
    const retraction = { sessionId: 's1' } as SessionRetraction;
    const deadLetter = { source: 'x' } as DeadLetter;
    await sink.write({
      sessions: [session(T - 50, T - 1), session(T - 50, T), session(T + 5, T + 9)],
      retractions: [retraction],
      orphans: [orphan(T - 1), orphan(T)],
      deadLetters: [deadLetter],
      late: [late(T - 1), late(T + 1)],
    });
    expect(written).toEqual([
      {
        sessions: [session(T - 50, T), session(T + 5, T + 9)],
        retractions: [retraction],
        orphans: [orphan(T)],
        deadLetters: [deadLetter],
        late: [late(T + 1)],
      },
    ]);
  });
});
