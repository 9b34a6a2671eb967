import { describe, expect, it } from 'vitest';
import type { Session } from '@weft/templates';
import { fieldRowDelta, nodeRowDelta } from './session-row-delta.js';
import { sessionToFieldRows, sessionToNodeRows, sessionToRow } from './session-converters.js';

const base: Session = {
  sessionId: 's-1',
  templateId: 'order',
  templateVersion: 1,
  businessKey: 'o-1',
  version: 1,
  status: 'open',
  fireReason: 'complete',
  start: 1_000,
  end: 2_000,
  nodes: [
    { node: 'create', kind: 'baseline', records: [] },
    { node: 'pay', kind: 'baseline', records: [] },
  ],
  fields: { orderId: 'o-1', amount: 10, paid: false, note: null },
  verdicts: [],
  verdict: null,
  mergedInto: null,
};

const storedRow = (session: Session) => sessionToRow(session, 0);
const storedNodes = (session: Session) => sessionToNodeRows(session);

describe('fieldRowDelta', () => {
  it('writes every row of a session not stored yet', () => {
    expect(fieldRowDelta(base)).toEqual({ write: sessionToFieldRows(base), remove: [] });
  });

  it('writes only the fields a version adds or changes, and removes the ones it drops', () => {
    const next = {
      ...base,
      version: 2,
      fields: { orderId: 'o-1', amount: 12, paid: false, refunded: true },
    };
    const delta = fieldRowDelta(next, storedRow(base));
    expect(delta.write.map((row) => row.field)).toEqual(['amount', 'refunded']);
    expect(delta.remove).toEqual(['note']);
  });

  it('sees a change of kind with an equal text or number (false → 0, "1" → 1, null → "")', () => {
    const before = { ...base, fields: { a: false, b: '1', c: null } };
    const after = { ...base, version: 2, fields: { a: 0, b: 1, c: '' } };
    expect(fieldRowDelta(after, storedRow(before)).write.map((row) => row.field)).toEqual([
      'a',
      'b',
      'c',
    ]);
  });

  it('rewrites every row when the start or the template moves (both are columns of each row)', () => {
    const earlier = { ...base, version: 2, start: 500 };
    expect(fieldRowDelta(earlier, storedRow(base)).write).toHaveLength(4);
    const moved = { ...base, version: 2, templateId: 'order-v2' };
    expect(fieldRowDelta(moved, storedRow(base)).write).toHaveLength(4);
  });

  it('compares values, not rows: a long string whose tail changed is written again', () => {
    const long = 'x'.repeat(300);
    const before = { ...base, fields: { long } };
    expect(fieldRowDelta({ ...base, fields: { long } }, storedRow(before)).write).toEqual([]);
    const changedTail = { ...base, fields: { long: `${long}y` } };
    // Its row holds the first 255 characters, unchanged: rewriting it is harmless.
    expect(fieldRowDelta(changedTail, storedRow(before)).write.map((row) => row.field)).toEqual([
      'long',
    ]);
  });

  it('writes nothing for a version whose fields are unchanged', () => {
    expect(fieldRowDelta({ ...base, version: 3 }, storedRow(base))).toEqual({
      write: [],
      remove: [],
    });
  });
});

describe('nodeRowDelta', () => {
  const record = {
    recordId: 'r-1',
    source: 'pay',
    eventTime: 1_500,
    raw: { ok: true },
    fields: {},
    late: false,
  };

  it('writes every node of a session not stored yet', () => {
    expect(nodeRowDelta(base, undefined)).toEqual({
      write: sessionToNodeRows(base),
      removeFrom: null,
    });
  });

  it('writes the nodes whose records changed and the new ones', () => {
    const next: Session = {
      ...base,
      nodes: [
        base.nodes[0]!,
        { node: 'pay', kind: 'baseline', records: [record] },
        { node: 'callback', kind: 'supplement', records: [] },
      ],
    };
    const delta = nodeRowDelta(next, storedNodes(base));
    expect(delta.write.map((row) => [row.position, row.node])).toEqual([
      [1, 'pay'],
      [2, 'callback'],
    ]);
    expect(delta.removeFrom).toBeNull();
  });

  it('rewrites a position whose node moved, and removes positions past the last node', () => {
    const next: Session = { ...base, nodes: [base.nodes[1]!] };
    expect(nodeRowDelta(next, storedNodes(base))).toEqual({
      write: [{ ...sessionToNodeRows(next)[0]!, position: 0 }],
      removeFrom: 1,
    });
  });

  it('reads positions the MySQL family returns as text', () => {
    const stored = storedNodes(base).map((row) => ({ ...row, position: String(row.position) }));
    expect(nodeRowDelta(base, stored as unknown as ReturnType<typeof storedNodes>).write).toEqual(
      [],
    );
  });
});
