import type { FieldValue, Session, SessionRetraction } from '@weft/templates';

let counter = 0;

/** A valid session; every field can be overridden. */
export function makeSession(overrides: Partial<Session> = {}): Session {
  counter += 1;
  const start = overrides.start ?? Date.UTC(2026, 0, 1, 10, 0, 0);
  return {
    sessionId: `s-${counter}`,
    templateId: 'order',
    templateVersion: 1,
    businessKey: `order-${counter}`,
    version: 1,
    status: 'closed',
    fireReason: 'complete',
    start,
    end: start + 5_000,
    nodes: [
      {
        node: 'create',
        kind: 'baseline',
        records: [
          {
            recordId: `r-${counter}`,
            source: 'orders',
            eventTime: start,
            raw: { id: counter, nested: { note: 'as received', list: [1, 'two', null] } },
            fields: { orderId: `order-${counter}` },
            late: false,
          },
        ],
      },
      { node: 'refund', kind: 'supplement', records: [] },
    ],
    fields: { orderId: `order-${counter}`, amount: 100, channel: 'app', vip: false, coupon: null },
    verdicts: [],
    verdict: null,
    mergedInto: null,
    ...overrides,
  };
}

export function withFields(session: Session, fields: Record<string, FieldValue>): Session {
  return { ...session, fields: { ...session.fields, ...fields } };
}

export function retraction(
  session: Session,
  mergedInto: string,
  version: number,
): SessionRetraction {
  return { sessionId: session.sessionId, templateId: session.templateId, mergedInto, version };
}

export const fraudVerdict = {
  conclusion: 'fraud',
  label: 'Suspected fraud',
  severity: 'high' as const,
  explanation: 'refund right after creation',
  inputs: { amount: 100 },
};
