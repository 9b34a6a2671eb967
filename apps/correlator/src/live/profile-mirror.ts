import type { IdentityGraphSnapshot, ProfileEntry, ProfileSnapshot } from '@weft/engine';
import type { EntityStateInput, IdentityEdgeInput, IdentityNodeInput, Store } from '@weft/storage';
import { CorrelatorError } from '../errors.js';
import type { Logger } from '../logging.js';
import { EPOCH_VERSIONS } from './live-job.js';

/** The entity kind of the profile store's header row (no template kind can start with `$`). */
export const PROFILE_HEADER_KIND = '$store';
export const PROFILE_HEADER_KEY = 'header';

/** The profile changes one checkpoint hands over: `job.takeProfileChanges()` and the identity graph snapshot. */
export interface ProfileChanges {
  profiles: { header: ProfileSnapshot; entries: ProfileEntry[] } | null;
  graph: IdentityGraphSnapshot | null;
}

/** The mirror's version space ran out within one epoch. */
export class MirrorVersionError extends CorrelatorError {
  override name = 'MirrorVersionError' as const;
}

/**
 * The version of the rows the `checkpoint`-th checkpoint of run `epoch`
 * mirrors: `epoch × EPOCH_VERSIONS + checkpoint`, so every restart's rows
 * outrank whatever an earlier run saved (as its session versions do).
 *
 * @example checkpointVersion(3, 17) // 3_000_017
 */
export function checkpointVersion(epoch: number, checkpoint: number): number {
  if (checkpoint < 1 || checkpoint >= EPOCH_VERSIONS) {
    throw new MirrorVersionError(
      `checkpoint ${checkpoint} of epoch ${epoch} has no mirror version (1–${EPOCH_VERSIONS - 1} per run): restart the correlator to take a new epoch.`,
    );
  }
  return epoch * EPOCH_VERSIONS + checkpoint;
}

const entityId = (kind: string, key: string) => `${kind}\u0000${key}`;

/**
 * The identity graph rows that differ from what was saved (`saved`: node or
 * edge id → lastSeen): new nodes and edges, and those seen again since.
 * Forgotten ones are left to `weft retention` (`identityEdges.purge`,
 * `identityNodes.purge`), which goes by the same session times.
 * Assumes a `weft.identity-graph/1` snapshot (edges reference nodes by index).
 */
export function changedGraphRows(
  templateId: string,
  graph: IdentityGraphSnapshot,
  saved: { nodes: ReadonlyMap<string, number>; edges: ReadonlyMap<string, number> },
  version: number,
): { nodes: IdentityNodeInput[]; edges: IdentityEdgeInput[] } {
  const nodes: IdentityNodeInput[] = [];
  for (const [kind, key, lastSeen] of graph.nodes) {
    if (saved.nodes.get(entityId(kind, key)) === lastSeen) continue;
    nodes.push({ templateId, kind, key, lastSeen, version });
  }
  const edges: IdentityEdgeInput[] = [];
  for (const [a, b, lastSeen] of graph.edges) {
    const [aKind, aKey] = graph.nodes[a] as [string, string, number];
    const [bKind, bKey] = graph.nodes[b] as [string, string, number];
    if (saved.edges.get(edgeId(graph, a, b)) === lastSeen) continue;
    edges.push({
      templateId,
      a: { kind: aKind, key: aKey },
      b: { kind: bKind, key: bKey },
      // The engine's graph keeps the newest linking time only, and no count per pair:
      // storage keeps the earliest firstSeen it was given, and `sessions` stays 1.
      firstSeen: lastSeen,
      lastSeen,
      sessions: 1,
      version,
    });
  }
  return { nodes, edges };
}

function edgeId(graph: IdentityGraphSnapshot, a: number, b: number): string {
  const [aKind, aKey] = graph.nodes[a] as [string, string, number];
  const [bKind, bKey] = graph.nodes[b] as [string, string, number];
  return `${entityId(aKind, aKey)}\u0001${entityId(bKind, bKey)}`;
}

export interface ProfileMirrorOptions {
  store: Pick<Store, 'entityStates' | 'identityEdges' | 'identityNodes'>;
  templateId: string;
  logger: Logger;
}

/**
 * Mirrors the live job's entity profiles and identity graph to storage
 * (`entity_states`, `identity_edges`, `identity_nodes`) for the web app and
 * other readers. Restores do not read it: the checkpoint keeps the whole
 * profile state (README, "Entity profiles in storage").
 *
 * `collect` takes a checkpoint's changes while the job is stopped; `save`,
 * after the checkpoint file is durable, writes what is pending with the
 * checkpoint's version. A failed save keeps everything pending for the next
 * checkpoint (nothing is lost, versions make re-saving harmless). The first
 * successful save after a start also writes a tombstone for every stored
 * entity the job does not hold (left by a run whose checkpoint was not
 * restored), since the job's first changes are all its entities.
 *
 * @example
 * const mirror = createProfileMirror({ store, templateId: 'pay', logger });
 * mirror.collect({ profiles: job.takeProfileChanges(), graph: snapshot.profiles?.graph ?? null });
 * await writeCheckpointFile();
 * await mirror.save(epoch, n); // rows at version checkpointVersion(epoch, n)
 */
export function createProfileMirror(options: ProfileMirrorOptions) {
  const { store, templateId, logger } = options;
  const pending = new Map<string, ProfileEntry>();
  let header: ProfileSnapshot | null = null;
  let graph: IdentityGraphSnapshot | null = null;
  const saved = { nodes: new Map<string, number>(), edges: new Map<string, number>() };
  let reconciled = false;

  /** Tombstones for the stored entities the job does not hold (read once, at the first save after a start). */
  const leftovers = async (): Promise<ProfileEntry[]> => {
    const gone: ProfileEntry[] = [];
    for await (const row of store.entityStates.export({ templateId })) {
      if (row.kind.startsWith('$') || pending.has(entityId(row.kind, row.key))) continue;
      gone.push({ kind: row.kind, key: row.key, state: null });
    }
    return gone;
  };

  /** The pending entities, the leftovers' tombstones (first save only) and the header row. */
  const stateRows = async (head: ProfileSnapshot, version: number): Promise<EntityStateInput[]> => {
    const entries = [...pending.values(), ...(reconciled ? [] : await leftovers())];
    const row = (kind: string, key: string, state: unknown): EntityStateInput => ({
      templateId,
      kind,
      key,
      format: head.format,
      version,
      state: state === null ? null : JSON.stringify(state),
    });
    return [
      ...entries.map((entry) => row(entry.kind, entry.key, entry.state)),
      row(PROFILE_HEADER_KIND, PROFILE_HEADER_KEY, head),
    ];
  };

  return {
    /** Adds a checkpoint's changes to what is pending (later states of an entity replace earlier ones). */
    collect(changes: ProfileChanges): void {
      if (changes.profiles !== null) {
        header = changes.profiles.header;
        for (const entry of changes.profiles.entries) {
          pending.set(entityId(entry.kind, entry.key), entry);
        }
      }
      if (changes.graph !== null) graph = changes.graph;
    },

    /** Writes what is pending as the `checkpoint`-th checkpoint of run `epoch`; logs and keeps it pending on failure. */
    async save(epoch: number, checkpoint: number): Promise<void> {
      try {
        const version = checkpointVersion(epoch, checkpoint);
        const entities = pending.size;
        if (header !== null) await store.entityStates.save(await stateRows(header, version));
        const rows = graph === null ? null : changedGraphRows(templateId, graph, saved, version);
        if (rows !== null && rows.nodes.length > 0) await store.identityNodes.save(rows.nodes);
        if (rows !== null && rows.edges.length > 0) await store.identityEdges.save(rows.edges);
        pending.clear();
        if (header !== null) reconciled = true;
        if (graph !== null) remember(graph);
        logger.debug(
          {
            version,
            entities,
            nodes: rows?.nodes.length ?? 0,
            edges: rows?.edges.length ?? 0,
          },
          'entity profiles mirrored to storage',
        );
      } catch (error) {
        logger.warn(
          { err: error, epoch, checkpoint, pending: pending.size },
          'mirroring entity profiles to storage failed; the next checkpoint retries (restores use the checkpoint, not the mirror)',
        );
      }
    },
  };

  function remember(snapshot: IdentityGraphSnapshot): void {
    // Forgotten nodes and edges leave the map too, so a node seen again later is saved again.
    saved.nodes.clear();
    for (const [kind, key, lastSeen] of snapshot.nodes)
      saved.nodes.set(entityId(kind, key), lastSeen);
    saved.edges.clear();
    for (const [a, b, lastSeen] of snapshot.edges)
      saved.edges.set(edgeId(snapshot, a, b), lastSeen);
  }
}

export type ProfileMirror = ReturnType<typeof createProfileMirror>;
