// Entity profiles: the cost of one feature update (ProfileStore.observe) per record, the heap
// held per entity at 1M entities, the cost of a point-in-time query, and the identity graph's
// cost per linked session and heap per node. Needs --expose-gc. Run:
//   npm run bench:profiles -w @weft/engine [-- --entities 1000000 --per-entity 4 --runs 1 --json FILE]
import { parseArgs } from 'node:util';
import { DAY, HOUR, IdentityGraph, MINUTE, ProfileStore } from '../src/index.js';
import type { FeatureSpec, ProfileSpec } from '../src/index.js';
import { metric, writeBenchResult } from '../../../bench/src/contract.js';
import type { Metric } from '../../../bench/src/contract.js';

const { values } = parseArgs({
  options: {
    entities: { type: 'string', default: '1000000' },
    'per-entity': { type: 'string', default: '4' },
    runs: { type: 'string', default: '1' },
    json: { type: 'string' },
  },
});
const entities = Number(values.entities);
const perEntity = Number(values['per-entity']);
const runs = Number(values.runs);
const records = entities * perEntity;
const SPAN = 30 * DAY;
const T0 = Date.UTC(2026, 10, 1);

/** The account features of the in-app purchase example template. */
const features: FeatureSpec[] = [
  { name: 'payments_10m', aggregate: 'count', window: { last: 10 * MINUTE, offset: 0 } },
  { name: 'payments_1h', aggregate: 'count', window: { last: HOUR, offset: 0 } },
  { name: 'spend_24h', aggregate: 'sum', field: 'amount', window: { last: DAY, offset: 0 } },
  { name: 'smallest_1h', aggregate: 'min', field: 'amount', window: { last: HOUR, offset: 0 } },
  {
    name: 'devices_30d',
    aggregate: 'distinct',
    field: 'device',
    window: { last: 30 * DAY, offset: 0, retain: 90 * DAY },
  },
  { name: 'last_before_24h', aggregate: 'last_seen', window: { last: 90 * DAY, offset: DAY } },
  { name: 'same_day_last_week', aggregate: 'count', window: { last: DAY, offset: 7 * DAY } },
];
const spec: ProfileSpec = { entities: [{ id: 'account', features }] };

function heapUsed(): number {
  globalThis.gc!();
  globalThis.gc!();
  return process.memoryUsage().heapUsed;
}

const cpuSeconds = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1e6;
};

/**
 * Records in event-time order over 30 days, up to 5 s out of order; entity i's key is `A<i>`,
 * visited in a scrambled order so that consecutive records hit different entities.
 */
function input() {
  const entity = new Int32Array(records);
  const time = new Float64Array(records);
  for (let i = 0; i < records; i++) {
    entity[i] = Number((BigInt(i) * 2_654_435_761n) % BigInt(entities));
    time[i] = T0 + Math.floor((i / records) * SPAN) - ((i * 7919) % 5000);
  }
  return { entity, time };
}
const devices = Array.from({ length: 4096 }, (_, i) => `D${i.toString(16).padStart(8, '0')}`);
const amounts = [6, 12, 30, 68, 128, 198, 328, 648];

interface Figures {
  updateUs: number;
  updatesPerCpuSecond: number;
  bytesPerEntity: number;
  bucketsPerEntity: number;
  queryUs: number;
  linkUs: number;
  bytesPerNode: number;
}

function runOnce(): Figures {
  const { entity, time } = input();
  const before = heapUsed();
  const store = new ProfileStore(spec);
  const started = process.cpuUsage();
  for (let i = 0; i < records; i++) {
    const e = entity[i] as number;
    store.observe('account', `A${String(e)}`, time[i] as number, {
      amount: amounts[(e + i) % 8],
      device: devices[(e * 31 + (i % 3)) % 4096],
    });
  }
  const updateCpu = cpuSeconds(started);
  const held = heapUsed() - before;
  const stats = store.stats();
  if (stats.entities !== entities || stats.dropped !== 0)
    throw new Error(
      `bench: expected ${String(entities)} entities and no drops, got ${JSON.stringify(stats)}`,
    );

  const queries = 200_000;
  const queryStarted = process.cpuUsage();
  let checksum = 0;
  for (let q = 0; q < queries; q++) {
    const f = store.featuresAsOf('account', `A${String((q * 7919) % entities)}`, store.frontier);
    checksum += f['payments_1h'] ?? 0;
  }
  const queryCpu = cpuSeconds(queryStarted);
  if (!Number.isFinite(checksum)) throw new Error('bench: bad query result');

  // The identity graph: one session links an account, its device and an IP.
  const graphBefore = heapUsed();
  const graph = new IdentityGraph(90 * DAY);
  const linkStarted = process.cpuUsage();
  for (let e = 0; e < entities; e++) {
    graph.link(
      [
        { kind: 'account', key: `A${String(e)}` },
        { kind: 'device', key: `D${String(e >> 1)}` },
        { kind: 'ip', key: `10.${String(e % 250)}.${String((e >> 8) % 250)}.${String(e % 7)}` },
      ],
      T0 + e,
    );
  }
  const linkCpu = cpuSeconds(linkStarted);
  const graphHeld = heapUsed() - graphBefore;
  const nodes = graph.nodeCount;
  return {
    updateUs: (updateCpu / records) * 1e6,
    updatesPerCpuSecond: records / updateCpu,
    bytesPerEntity: held / entities,
    bucketsPerEntity: stats.buckets / entities,
    queryUs: (queryCpu / queries) * 1e6,
    linkUs: (linkCpu / entities) * 1e6,
    bytesPerNode: graphHeld / nodes,
  };
}

const startedAt = new Date().toISOString();
const all: Figures[] = [];
for (let r = 0; r < runs; r++) all.push(runOnce());
const pick = (key: keyof Figures) => all.map((f) => f[key]);
const params = { entities, perEntity, records, features: features.length };
const metrics: Metric[] = [
  metric('profile update CPU per record', 'µs', pick('updateUs'), params, 2),
  metric('profile updates per CPU-second', 'records/s', pick('updatesPerCpuSecond'), params),
  metric('heap per entity', 'bytes', pick('bytesPerEntity'), params),
  metric('buckets per entity', 'buckets', pick('bucketsPerEntity'), params, 2),
  metric('point-in-time query CPU (7 features)', 'µs', pick('queryUs'), params, 2),
  metric('identity graph link CPU per session (3 entities)', 'µs', pick('linkUs'), params, 2),
  metric('identity graph heap per node', 'bytes', pick('bytesPerNode'), params),
];
for (const m of metrics)
  console.log(`${m.name}: ${String(m.median)} ${m.unit} (runs: ${m.runs.join(', ')})`);

if (values.json !== undefined) {
  const args = process.argv
    .slice(2)
    .filter((a, i, all) => a !== '--json' && all[i - 1] !== '--json');
  writeBenchResult(values.json, {
    benchmark: 'engine.entity-profiles',
    command: `npm run bench:profiles -w @weft/engine${args.length ? ` -- ${args.join(' ')}` : ''}`,
    startedAt,
    params: { ...params, runs, node: process.version },
    metrics,
  });
  console.log(`wrote ${values.json}`);
}
