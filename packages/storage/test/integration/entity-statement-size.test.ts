import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowBytes } from '../../src/chunks.js';
import type { StoreDialect } from '../../src/dialect/dialect.js';
import { openMysqlDialect } from '../../src/dialect/mysql/mysql-dialect.js';
import { mysqlStatementLimits } from '../../src/dialect/mysql/mysql-limits.js';
import { openSqliteDialect } from '../../src/dialect/sqlite/sqlite-dialect.js';
import { saveEntityStates } from '../../src/entities/entity-states.js';
import { openStore, parseStoreUrl, StatementTooLargeError } from '../../src/index.js';
import type {
  EntityStateInput,
  IdentityEdgeInput,
  IdentityNodeInput,
  Store,
} from '../../src/index.js';
import { freshStore, testBackends } from '../backends.js';

const FORMAT = 'weft.profiles/1';
const KIB = 1024;
const runs = Number(process.env.WEFT_PROPERTY_RUNS ?? 200);

/** A second handle on the store's database, with limits set by the test. */
async function openDialect(url: string): Promise<StoreDialect> {
  const location = parseStoreUrl(url);
  return location.backend === 'mysql'
    ? openMysqlDialect(location)
    : openSqliteDialect(location.path);
}

/** JSON text of about `bytes` UTF-8 bytes, with characters the MySQL client escapes and multi-byte ones. */
function stateOf(bytes: number, seed: number): string {
  const unit = `"q" \\ caf\u00e9 \u{1F600} ${seed} `;
  return JSON.stringify({ seed, text: unit.repeat(Math.ceil(bytes / Buffer.byteLength(unit))) });
}

/** Everything a template holds, comparable across templates (no template id, no save time). */
async function contents(store: Store, templateId: string) {
  const states = [];
  for await (const { templateId: _, updatedAt: __, ...s } of store.entityStates.export({
    templateId,
  }))
    states.push(s);
  const edges = [];
  for await (const { templateId: _, ...e } of store.identityEdges.export({ templateId }))
    edges.push(e);
  const nodes = [];
  for await (const { templateId: _, ...n } of store.identityNodes.export({ templateId }))
    nodes.push(n);
  return { states, edges, nodes };
}

interface Batch {
  states: Omit<EntityStateInput, 'templateId'>[];
  edges: Omit<IdentityEdgeInput, 'templateId'>[];
  nodes: Omit<IdentityNodeInput, 'templateId'>[];
}

const keyArb = fc.constantFrom('k0', 'k1', 'k2', 'k3', 'k4', 'k5', 'k 5', 'K5', '日本');
const kindArb = fc.constantFrom('account', 'device');
const versionArb = fc.integer({ min: 1, max: 4 });
const batchArb: fc.Arbitrary<Batch> = fc.record({
  states: fc.array(
    fc.record({
      kind: kindArb,
      key: keyArb,
      format: fc.constant(FORMAT),
      version: versionArb,
      state: fc.option(
        fc.tuple(fc.nat(6 * KIB), fc.nat(99)).map(([bytes, seed]) => stateOf(bytes, seed)),
        { freq: 5 },
      ),
    }),
    { maxLength: 25 },
  ),
  edges: fc.array(
    fc
      .record({
        a: fc.record({ kind: kindArb, key: keyArb }),
        b: fc.record({ kind: kindArb, key: keyArb }),
        firstSeen: fc.nat(1_000),
        span: fc.nat(1_000),
        sessions: fc.integer({ min: 1, max: 9 }),
        version: versionArb,
      })
      .filter(({ a, b }) => a.kind !== b.kind || a.key !== b.key)
      .map(({ span, ...e }) => ({ ...e, lastSeen: e.firstSeen + span })),
    { maxLength: 25 },
  ),
  nodes: fc.array(
    fc.record({ kind: kindArb, key: keyArb, lastSeen: fc.nat(5_000), version: versionArb }),
    { maxLength: 25 },
  ),
});

async function saveBatch(store: Store, templateId: string, batch: Batch) {
  return {
    states: await store.entityStates.save(batch.states.map((s) => ({ ...s, templateId }))),
    edges: await store.identityEdges.save(batch.edges.map((e) => ({ ...e, templateId }))),
    nodes: await store.identityNodes.save(batch.nodes.map((n) => ({ ...n, templateId }))),
  };
}

describe.each(testBackends())('entity saves split into statements on $name', (backend) => {
  let store: Store;
  let url: string;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ store, url, close } = await freshStore(backend));
  });
  afterAll(() => close?.());

  it('stores the same under a 1 KiB statement budget as in one statement, whatever the batches', async () => {
    const small = await openStore(url, { maxStatementBytes: KIB });
    try {
      let round = 0;
      await fc.assert(
        fc.asyncProperty(batchArb, batchArb, async (first, second) => {
          round += 1;
          const [split, whole] = [`split-${round}`, `whole-${round}`];
          for (const batch of [first, second])
            expect(await saveBatch(small, split, batch)).toEqual(
              await saveBatch(store, whole, batch),
            );
          expect(await contents(small, split)).toEqual(await contents(store, whole));
        }),
        { numRuns: Math.min(runs, 25) },
      );
    } finally {
      await small.close();
    }
  });

  it('writes one statement per transaction within the budget, only the winners, a larger row alone', async () => {
    const base = await openDialect(url);
    const budget = 4 * KIB;
    const statements: object[][] = [];
    let transactions = 0;
    const dialect: StoreDialect = {
      ...base,
      statementLimits: { ...base.statementLimits, maxBytes: budget },
      upsert(executor, table, rows, keys, update) {
        statements.push([...rows]);
        return base.upsert(executor, table, rows, keys, update);
      },
      writeTransaction(work) {
        transactions += 1;
        return base.writeTransaction(work);
      },
    };
    try {
      const states: EntityStateInput[] = Array.from({ length: 60 }, (_, i) => ({
        templateId: 'budget',
        kind: 'account',
        key: `e${String(i).padStart(2, '0')}`,
        format: FORMAT,
        version: 1_000_001,
        state: stateOf(i === 17 ? 20 * KIB : KIB, i),
      }));
      expect(await saveEntityStates(dialect, states)).toEqual({ written: 60, stale: 0 });
      expect(statements.flat()).toHaveLength(60);
      expect(statements.length).toBeGreaterThanOrEqual(16);
      expect(transactions).toBe(statements.length);
      for (const statement of statements) {
        const bytes = statement.reduce((sum, row) => sum + rowBytes(row), 0);
        if (statement.length > 1) expect(bytes).toBeLessThanOrEqual(budget);
      }
      expect(statements.find((s) => s.length === 1 && rowBytes(s[0]!) > budget)).toEqual([
        expect.objectContaining({ entity_key: 'e17' }),
      ]);

      statements.length = 0;
      const replay = states.map((s, i) =>
        i % 4 === 0 ? { ...s, version: s.version + 1, state: '{"n":2}' } : s,
      );
      expect(await saveEntityStates(dialect, replay)).toEqual({ written: 15, stale: 45 });
      expect(statements.flat().map((row) => (row as { entity_key: string }).entity_key)).toEqual(
        replay.filter((_, i) => i % 4 === 0).map((s) => s.key),
      );
      const stored = new Map<string, string>();
      for await (const s of store.entityStates.export({ templateId: 'budget' }))
        stored.set(s.key, s.state);
      expect(stored).toEqual(new Map(replay.map((s) => [s.key, s.state as string])));
    } finally {
      await base.close();
    }
  });

  it('locks and purges more identity edges than one query may match on SQLite (999 OR terms)', async () => {
    const edges: IdentityEdgeInput[] = Array.from({ length: 1_200 }, (_, i) => ({
      templateId: 'many-edges',
      a: { kind: 'account', key: `A${i}` },
      b: { kind: 'device', key: 'D' },
      firstSeen: 1_000,
      lastSeen: 2_000,
      sessions: 1,
      version: 1_000_001,
    }));
    expect(await store.identityEdges.save(edges)).toEqual({ written: 1_200, stale: 0 });
    expect(await store.identityEdges.save(edges)).toEqual({ written: 0, stale: 1_200 });
    expect(await store.identityEdges.purge({ templateId: 'many-edges', before: 3_000 })).toBe(
      1_200,
    );
    expect((await store.identityEdges.page({ templateId: 'many-edges' })).edges).toEqual([]);
  });

  it.runIf(backend.name === 'mysql')(
    'refuses an entity state larger than the server’s packet by name and size, writing none of the batch',
    async () => {
      // This server's max_allowed_packet is 16 MiB and a state at most 4 MiB (8 MiB escaped), so a
      // smaller server is simulated: the limits the store derives from a 1 MiB max_allowed_packet.
      const packet = 1024 * KIB;
      const base = await openDialect(url);
      const dialect: StoreDialect = { ...base, statementLimits: mysqlStatementLimits(packet) };
      const state = (key: string, text: string): EntityStateInput => ({
        templateId: 'too-large',
        kind: 'account',
        key,
        format: FORMAT,
        version: 1_000_001,
        state: text,
      });
      const ok = state('ok', '{"n":1}');
      // Over the statement budget (half the packet) but within the packet: a statement alone.
      const alone = state('alone', JSON.stringify('x'.repeat(700 * KIB)));
      try {
        for (const huge of [
          state('huge', JSON.stringify('x'.repeat(packet))),
          // 700 KB as UTF-8, but every backslash is escaped on the wire: 1.4 MB sent.
          state('escaped', JSON.stringify('\\'.repeat(350 * KIB))),
        ]) {
          const failure = saveEntityStates(dialect, [ok, alone, huge]);
          await expect(failure).rejects.toThrow(StatementTooLargeError);
          await expect(failure).rejects.toThrow(
            new RegExp(
              `entity state \\(template "too-large", kind "account", key "${huge.key}"\\).*` +
                `about \\d+ bytes.*max_allowed_packet = ${packet}`,
              'u',
            ),
          );
          expect((await store.entityStates.page({ templateId: 'too-large' })).states).toEqual([]);
        }
        // Nothing oversized was sent: the same store and connections go on.
        expect(await saveEntityStates(dialect, [ok, alone])).toEqual({ written: 2, stale: 0 });
        const saved = (await store.entityStates.page({ templateId: 'too-large' })).states;
        expect(saved.map((s) => [s.key, s.state])).toEqual([
          [alone.key, alone.state],
          [ok.key, ok.state],
        ]);
      } finally {
        await base.close();
      }
    },
  );
});
