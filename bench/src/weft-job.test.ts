import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checksum } from './canonical.js';
import { readRawLines } from './lines.js';
import { runParallel } from './weft-parallel.js';
import {
  canonicalLines,
  inAppPurchaseTemplate,
  runWeftBatch,
  sourceOrder,
  withoutEntities,
} from './weft-job.js';

const tiny = fileURLToPath(new URL('../peers/flink/src/test/resources/tiny', import.meta.url));
/** Pinned in bench/peers/flink/README.md for the Flink peer on the same fixture. */
const FLINK_TINY_CHECKSUM = '07c9ac6b97ea1900095d55a785fb052542be7e2649a000f182048a15454d3618';

describe('the job the Flink peer mirrors', () => {
  it('leaves out the entity profiles and the conclusions that read them, nothing else', () => {
    const stripped = withoutEntities({
      entities: { kinds: [] },
      conclusions: [
        { when: 'nodes.pay_done.status == "SUCCESS"' },
        { when: 'entity.account.payments_10m >= 3' },
        { when: 'true', explanation: 'linked to {{entity.device.accounts_linked}} accounts' },
        { when: 'identity.entity_count > 1' },
      ],
    });
    expect(stripped.entities).toBeUndefined();
    expect(stripped.conclusions?.map((c) => c.when)).toEqual([
      'nodes.pay_done.status == "SUCCESS"',
      'identity.entity_count > 1',
    ]);
    expect(inAppPurchaseTemplate().template.entities).toBeUndefined();
  });
});

describe('Weft on the Flink peer fixture', () => {
  it('produces the Flink peer sessions at parallelism 1', async () => {
    const compiled = inAppPurchaseTemplate();
    const inputs = [];
    for (const source of sourceOrder(compiled))
      for (const raw of await readRawLines(join(tiny, `${source}.ndjson`)))
        inputs.push({ source, raw });
    expect(inputs).toHaveLength(33);
    const outcome = runWeftBatch(compiled, inputs);
    expect(outcome.deadLetters).toBe(3);
    expect(outcome.late).toBe(0);
    const lines = canonicalLines(outcome.sessions, inputs);
    expect(lines).toHaveLength(6);
    expect(checksum(lines)).toBe(FLINK_TINY_CHECKSUM);
  });

  it('produces the same sessions over two partitions in worker threads', async () => {
    const run = await runParallel(inAppPurchaseTemplate(), tiny, 2, {
      outOfOrdernessMs: 60_000,
      linesPrefix: join(tmpdir(), `weft-tiny-${String(process.pid)}`),
    });
    expect(run.recordsIn).toBe(33);
    expect(run.counts.deadLetters).toBe(3);
    expect(run.partitionConflicts).toBe(0);
    const lines = run.lineFiles.flatMap((f) => readFileSync(f, 'utf8').split('\n').slice(0, -1));
    expect(checksum(lines)).toBe(FLINK_TINY_CHECKSUM);
  });

  it('lists baseline sources before supplements', () => {
    expect(sourceOrder(inAppPurchaseTemplate())).toEqual([
      'client_order',
      'pay_page',
      'receipt',
      'pay_done',
      'channel_callback',
      'delivery',
    ]);
  });
});
