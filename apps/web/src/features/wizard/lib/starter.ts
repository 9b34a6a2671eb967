/** A new template's starting point: one source, one baseline step, nothing else (valid once named). */
export function starterTemplate(now: number): Record<string, unknown> {
  const stamp = new Date(now).toISOString();
  return {
    id: 'new-template',
    name: 'New template',
    description: '',
    version: 1,
    status: 'draft',
    author: 'wizard',
    createdAt: stamp,
    updatedAt: stamp,
    sources: [
      {
        id: 'checkout',
        kind: 'ndjson',
        path: 'checkout.ndjson',
        time: { path: 'ts', encoding: 'epoch_ms' },
        fields: {},
      },
    ],
    baseline: {
      key: 'order_id',
      nodes: [{ id: 'checkout', source: 'checkout', label: 'Checkout' }],
      gap: '20m',
      maxSpan: '2h',
      allowedLateness: '5m',
      timeout: '2m',
    },
    supplements: [],
    tree: { edges: [] },
    derived: [],
    conclusions: [],
    dashboards: [],
  };
}

export const STARTER_SAMPLES = [
  'checkout {"ts":1764000000123,"order_id":"O1","user":{"id":"U1"},"amount_cents":600}',
  'checkout {"ts":1764000004000,"order_id":"O2","user":{"id":"U2"},"amount_cents":1200}',
].join('\n');
