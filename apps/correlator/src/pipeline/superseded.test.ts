import { sessionIdFor } from '@weft/engine';
import type { LiveSessionVersion } from '@weft/storage';
import type { Session, SessionRecord } from '@weft/templates';
import { describe, expect, it } from 'vitest';
import { toBatch } from './sink.js';
import type { SinkBatch } from './sink.js';
import { withSupersededRetractions } from './superseded.js';

const T = 'in-app-purchase';

function record(eventTime: number): SessionRecord {
  return { recordId: `r${eventTime}`, source: 's', eventTime, raw: {}, fields: {}, late: false };
}

function session(key: string, baseline: number[], supplement: number[] = []): Session {
  const start = Math.min(...baseline, ...supplement);
  return {
    sessionId: sessionIdFor(T, key, Math.min(...baseline)),
    templateId: T,
    templateVersion: 1,
    businessKey: key,
    version: 7,
    status: 'closed',
    fireReason: 'final',
    start,
    end: Math.max(...baseline, ...supplement),
    nodes: [
      { node: 'client_order', kind: 'baseline', records: baseline.map(record) },
      ...(supplement.length > 0
        ? [{ node: 'delivery', kind: 'supplement' as const, records: supplement.map(record) }]
        : []),
    ],
    fields: {},
    verdicts: [],
    verdict: null,
    mergedInto: null,
  };
}

function harness(live: LiveSessionVersion[]) {
  const written: SinkBatch[] = [];
  const asked: string[][] = [];
  const sink = withSupersededRetractions(
    { write: async (batch) => void written.push(batch) },
    {
      sessions: {
        liveVersions: async (templateId, keys) => {
          asked.push([templateId, ...keys]);
          return live.filter((l) => keys.includes(l.businessKey));
        },
      },
    },
  );
  return { sink, written, asked };
}

describe('withSupersededRetractions', () => {
  it('retracts a live leftover whose start lies within a written session’s baseline records', async () => {
    const full = session('O1', [1_000, 5_000, 9_000]);
    const leftover = sessionIdFor(T, 'O1', 5_000);
    const { sink, written, asked } = harness([
      { sessionId: leftover, businessKey: 'O1', version: 3_000_004 },
      { sessionId: full.sessionId, businessKey: 'O1', version: 2 },
    ]);
    await sink.write(toBatch([{ kind: 'session', session: full }]));
    expect(asked).toEqual([[T, 'O1']]);
    expect(written[0]!.retractions).toEqual([
      { sessionId: leftover, templateId: T, mergedInto: full.sessionId, version: 3_000_005 },
    ]);
    expect(written[0]!.sessions).toEqual([full]);
  });

  it('keeps sessions of the key outside the span, other ids, and what the batch writes or retracts itself', async () => {
    const full = session('O1', [1_000, 5_000], [20_000]);
    const other = session('O1', [5_000]);
    const { sink, written } = harness([
      // A later session of the same order: its start is past the last baseline record.
      { sessionId: sessionIdFor(T, 'O1', 6_000), businessKey: 'O1', version: 1 },
      // Within the supplement's time but not the baseline's.
      { sessionId: sessionIdFor(T, 'O1', 20_000), businessKey: 'O1', version: 1 },
      { sessionId: 'not-an-engine-id', businessKey: 'O1', version: 1 },
      { sessionId: sessionIdFor(T, 'O1', 3_000), businessKey: 'O1', version: 1 },
      { sessionId: sessionIdFor(T, 'O1', 4_000), businessKey: 'O1', version: 1 },
    ]);
    await sink.write(
      toBatch([
        { kind: 'session', session: full },
        { kind: 'session', session: { ...other, sessionId: sessionIdFor(T, 'O1', 3_000) } },
        {
          kind: 'retraction',
          retraction: {
            sessionId: sessionIdFor(T, 'O1', 4_000),
            templateId: T,
            mergedInto: full.sessionId,
            version: 9,
          },
        },
      ]),
    );
    expect(written[0]!.retractions.map((r) => r.sessionId)).toEqual([sessionIdFor(T, 'O1', 4_000)]);
  });

  it('passes a batch without sessions through without asking the store', async () => {
    const { sink, written, asked } = harness([]);
    await sink.write(toBatch([]));
    expect(asked).toEqual([]);
    expect(written).toHaveLength(1);
  });
});
