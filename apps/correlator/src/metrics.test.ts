import { describe, expect, it } from 'vitest';
import { createMetrics } from './metrics.js';

describe('createMetrics', () => {
  it('exposes every metric the issue lists, in Prometheus text format', async () => {
    const metrics = createMetrics({ processMetrics: false });
    metrics.recordsIn.inc({ source: 'pay_done' }, 3);
    metrics.recordsOut.inc({ source: 'pay_done' }, 2);
    metrics.consumerLag.set({ topic: 'weft.src.pay_done', partition: '0' }, 7);
    metrics.watermarkDelay.set({ template: 'in-app-purchase' }, 1.5);
    metrics.openSessions.set({ template: 'in-app-purchase' }, 4);
    metrics.fires.inc({ template: 'in-app-purchase', reason: 'complete' });
    metrics.lateRecords.inc({ template: 'in-app-purchase' });
    metrics.orphans.inc({ template: 'in-app-purchase', node: 'channel_callback' });
    metrics.deadLetters.inc({ source: 'pay_done', reason: 'invalid_json' });
    metrics.storeLatency.observe({ operation: 'upsert' }, 0.02);
    const text = await metrics.registry.metrics();
    expect(text).toContain('weft_records_in_total{source="pay_done"} 3');
    expect(text).toContain('weft_records_out_total{source="pay_done"} 2');
    expect(text).toContain('weft_consumer_lag_messages{topic="weft.src.pay_done",partition="0"} 7');
    expect(text).toContain('weft_watermark_delay_seconds{template="in-app-purchase"} 1.5');
    expect(text).toContain('weft_open_sessions{template="in-app-purchase"} 4');
    expect(text).toContain(
      'weft_session_fires_total{template="in-app-purchase",reason="complete"} 1',
    );
    expect(text).toContain('weft_late_records_total{template="in-app-purchase"} 1');
    expect(text).toContain(
      'weft_orphans_total{template="in-app-purchase",node="channel_callback"} 1',
    );
    expect(text).toContain('weft_dead_letters_total{source="pay_done",reason="invalid_json"} 1');
    expect(text).toContain('weft_store_latency_seconds_count{operation="upsert"} 1');
    expect(text).not.toContain('weft_process_cpu');
  });

  it('keeps registries apart, so two correlators in one process do not mix counts', async () => {
    const a = createMetrics({ processMetrics: false });
    const b = createMetrics({ processMetrics: false });
    a.recordsIn.inc({ source: 's' });
    expect(await b.registry.metrics()).not.toContain('weft_records_in_total{source="s"}');
  });

  it('adds Node process metrics when asked', async () => {
    const metrics = createMetrics({ processMetrics: true });
    expect(await metrics.registry.metrics()).toContain('weft_process_cpu_user_seconds_total');
  });
});
