import { clamp, weighted, zipf } from '../distributions.js';
import type { DimensionTable } from '../model.js';
import type { Rng } from '../prng.js';

/** A player: the ids every client record carries, and where and how they play. */
export interface Player {
  readonly accountId: string;
  readonly roleId: string;
  readonly deviceId: string;
  readonly region: string;
  readonly os: 'android' | 'ios';
  readonly clientVersion: string;
  readonly channel: string;
  readonly ipPrefix: string;
}

export interface CatalogItem {
  readonly itemId: string;
  readonly name: string;
  readonly category: string;
  readonly priceCents: number;
}

/** A fraud ring: many accounts that pay from a few shared devices and one network. */
export interface FraudRing {
  /** `ring-001`, … */
  readonly id: string;
  readonly members: readonly Player[];
  /** Device ids the members share (`D` and 9 hex digits: never a regular player's). */
  readonly devices: readonly string[];
}

/** Players and items, each with a Zipf popularity sampler over its rank, and the fraud rings. */
export interface InAppWorld {
  readonly players: readonly Player[];
  readonly items: readonly CatalogItem[];
  readonly rings: readonly FraudRing[];
  /** The cheapest items: what a card tester buys. */
  readonly cheapItems: readonly CatalogItem[];
  readonly pickPlayer: (rng: Rng) => Player;
  readonly pickItem: (rng: Rng) => CatalogItem;
}

const ITEM_COUNT = 240;
// The usual app-store price tiers in CNY cents; cheap tiers sell most.
const priceTier = weighted({
  '600': 30,
  '1200': 10,
  '3000': 20,
  '6800': 15,
  '12800': 10,
  '19800': 6,
  '32800': 5,
  '64800': 4,
});
const region = weighted({ 'cn-east': 35, 'cn-north': 25, 'cn-south': 25, sea: 10, na: 5 });
const clientVersion = weighted({ '3.2.1': 60, '3.2.0': 25, '3.1.4': 15 });
const iosChannel = weighted({ apple_iap: 60, alipay: 20, wechat: 20 });
const androidChannel = weighted({ alipay: 45, wechat: 45, google_play: 10 });
const categories = ['gems', 'skin', 'battle_pass', 'bundle', 'gold'] as const;
const adjectives = ['Crimson', 'Azure', 'Golden', 'Shadow', 'Jade', 'Storm', 'Frost', 'Ember'];
const nouns = ['Dragon', 'Phoenix', 'Lotus', 'Tiger', 'Comet', 'Warden', 'Blade', 'Crown'];

function buildItems(rng: Rng): CatalogItem[] {
  return Array.from({ length: ITEM_COUNT }, (_, index) => {
    const category = rng.pick(categories);
    return {
      itemId: `I${String(10_001 + index)}`,
      name: `${rng.pick(adjectives)} ${rng.pick(nouns)} ${category.replace('_', ' ')}`,
      category,
      priceCents: Number(priceTier(rng)),
    };
  });
}

function buildPlayer(rng: Rng, index: number): Player {
  const os = rng.chance(0.3) ? 'ios' : 'android';
  const regionId = region(rng);
  return {
    accountId: `A${String(20_000_000 + index * 7 + rng.int(0, 7))}`,
    roleId: `R${String(500_000_000 + index * 13 + rng.int(0, 13))}`,
    deviceId: `D${rng.int(0, 0x7fffffff).toString(16).padStart(8, '0')}`,
    region: regionId,
    os,
    clientVersion: clientVersion(rng),
    channel: os === 'ios' ? iosChannel(rng) : androidChannel(rng),
    ipPrefix: `10.${String(['cn-east', 'cn-north', 'cn-south', 'sea', 'na'].indexOf(regionId) + 1)}`,
  };
}

/**
 * One ring: 8–24 member accounts (`A3<ring><member>`, roles `R9…`) on 1–3 shared devices, all
 * in one region. Members take a regular player's OS and channel habits.
 */
function buildRing(rng: Rng, index: number): FraudRing {
  const ring = String(index + 1).padStart(3, '0');
  const devices = Array.from(
    { length: rng.int(1, 4) },
    () => `D${rng.int(0, 0x7fffffff).toString(16).padStart(9, '0')}`,
  );
  const regionId = region(rng);
  const members = Array.from({ length: rng.int(8, 25) }, (_, m) => {
    const member = String(m + 1).padStart(2, '0');
    return {
      ...buildPlayer(rng, 0),
      accountId: `A3${ring}${member}`,
      roleId: `R9${ring}${member}`,
      deviceId: devices[0] as string,
      region: regionId,
      ipPrefix: `10.${String(['cn-east', 'cn-north', 'cn-south', 'sea', 'na'].indexOf(regionId) + 1)}`,
    };
  });
  return { id: `ring-${ring}`, members, devices };
}

/**
 * Builds the player base (about one player per three orders), the item catalog and the fraud
 * rings (one per 4,000 orders, 2 to 100). The rings are drawn after everything else, so the
 * players and items of a seed do not depend on them.
 */
export function buildInAppWorld(rng: Rng, sessions: number): InAppWorld {
  const playerCount = clamp(Math.round(sessions / 3), 50, 300_000);
  const players = Array.from({ length: playerCount }, (_, index) => buildPlayer(rng, index));
  const items = buildItems(rng);
  const rings = Array.from({ length: clamp(Math.round(sessions / 4000), 2, 100) }, (_, index) =>
    buildRing(rng, index),
  );
  const cheapest = Math.min(...items.map((item) => item.priceCents));
  const playerRank = zipf(players.length, 0.9);
  const itemRank = zipf(items.length, 1.1);
  return {
    players,
    items,
    rings,
    cheapItems: items.filter((item) => item.priceCents === cheapest),
    pickPlayer: (r) => players[playerRank(r)] as Player,
    pickItem: (r) => items[itemRank(r)] as CatalogItem,
  };
}

/** The `item_catalog` SQL dimension table of docs/scenarios.md. */
export function itemCatalog(world: InAppWorld): DimensionTable {
  return {
    name: 'item_catalog',
    rows: world.items.map((item) => ({
      item_id: item.itemId,
      item_name: item.name,
      category: item.category,
      price_cents: item.priceCents,
    })),
  };
}
