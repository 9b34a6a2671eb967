import { describe, expect, it } from 'vitest';
import { createSimulation } from './simulation.js';
import { runSimulation } from './run.js';
import type { DatasetSink, KeyedRecord, RecordSink } from './sinks.js';

function memoryDataset() {
  const files = new Map<string, string[]>();
  const closed = new Set<string>();
  const sink: DatasetSink = {
    open(name) {
      const lines: string[] = [];
      files.set(name, lines);
      return {
        write: (line) => {
          lines.push(line);
          return undefined;
        },
        close: async () => {
          closed.add(name);
        },
      };
    },
  };
  return { sink, files, closed };
}

function memoryBus() {
  const topics = new Map<string, KeyedRecord[]>();
  let sends = 0;
  const sink: RecordSink = {
    async send(topic, records) {
      sends += 1;
      topics.set(topic, [...(topics.get(topic) ?? []), ...records]);
    },
  };
  return { sink, topics, sends: () => sends };
}

const options = { scenario: 'in-app-purchase', orders: 500, seed: 2 };

describe('runSimulation', () => {
  it('writes one file per source, the truth, the dimension table and a manifest with the counts', async () => {
    const dataset = memoryDataset();
    const manifest = await runSimulation(createSimulation(options), { dataset: dataset.sink });
    expect([...dataset.files.keys()].sort()).toEqual(
      [
        'channel_callback.ndjson',
        'client_order.ndjson',
        'delivery.ndjson',
        'item_catalog.ndjson',
        'manifest.json',
        'pay_done.ndjson',
        'pay_page.ndjson',
        'receipt.ndjson',
        'truth.ndjson',
      ].sort(),
    );
    expect([...dataset.closed].sort()).toEqual([...dataset.files.keys()].sort());
    expect(dataset.files.get('pay_done.ndjson')?.length).toBe(
      manifest.counts.recordLines['pay_done'],
    );
    const truthLines = dataset.files.get('truth.ndjson') ?? [];
    expect(truthLines.length).toBe(
      manifest.counts.sessions + manifest.counts.orphans + manifest.counts.deadLetters,
    );
    expect(manifest.counts.sessions).toBe(500);
    expect(manifest.dimensionRows['item_catalog']).toBe(
      dataset.files.get('item_catalog.ndjson')?.length,
    );
    const written = JSON.parse(
      (dataset.files.get('manifest.json') ?? [])[0] ?? '{}',
    ) as typeof manifest;
    expect(written.options.seed).toBe(2);
    expect(written.counts).toEqual(manifest.counts);
  });

  it('sends each source to weft.src.<source> with its key, the same lines as the files', async () => {
    const dataset = memoryDataset();
    const bus = memoryBus();
    await runSimulation(createSimulation(options), { dataset: dataset.sink, records: bus.sink });
    expect([...bus.topics.keys()].sort()).toEqual(
      ['channel_callback', 'client_order', 'delivery', 'pay_done', 'pay_page', 'receipt'].map(
        (s) => `weft.src.${s}`,
      ),
    );
    const callbacks = bus.topics.get('weft.src.channel_callback') ?? [];
    expect(callbacks.map((r) => r.value)).toEqual(dataset.files.get('channel_callback.ndjson'));
    for (const record of callbacks) {
      if (record.value.endsWith('}'))
        expect(record.value).toContain(`"trans_id":"${String(record.key)}"`);
    }
  });

  it('paces a live run with the injected clock and reports progress', async () => {
    let now = 0;
    const bus = memoryBus();
    const progress: number[] = [];
    const manifest = await runSimulation(createSimulation({ ...options, orders: 50 }), {
      records: bus.sink,
      pacing: { recordsPerSecond: 100, now: () => now, sleep: async (ms) => void (now += ms) },
      onProgress: (n) => progress.push(n),
    });
    const total = Object.values(manifest.counts.recordLines).reduce((a, b) => a + b, 0);
    expect(now).toBeCloseTo(((total - 1) * 1000) / 100, 6);
    expect(progress.at(-1)).toBe(50);
    expect(bus.sends()).toBeGreaterThan(10);
  });
});
