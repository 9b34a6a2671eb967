import type { GroupMember, KafkaAdmin } from '../kafka/index.js';
import type { Logger } from '../logging.js';

export interface SoleMemberOptions {
  admin: Pick<KafkaAdmin, 'describeGroupMembers'>;
  groupId: string;
  /** Stops the wait (SIGTERM); the function then resolves false. */
  signal: AbortSignal;
  logger: Logger;
  /** Reports the members being waited for (the `group` health check), or null once there are none. */
  onWaiting?: (members: readonly GroupMember[] | null) => void;
  /** How often the group is described while it has members. Default 1 000 ms. */
  pollMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Waits until the consumer group has no member, so that this correlator is
 * the only one in it. The job's state is not partitioned (scale-out is not
 * built), so two members would each correlate part of every session's
 * records. A member that crashed is listed until its session timeout; a
 * correlator started beside a running one waits here as a **standby**, and
 * takes over from the shared checkpoint directory once that one stops or
 * its session times out. Resolves true when the group is empty, false when
 * `signal` aborted the wait.
 *
 * Two correlators that find the group empty at the same moment both join:
 * each claims its own epoch, the older is superseded within its epoch check
 * and stops without a checkpoint, and the newer reads every partition from
 * the last committed checkpoint's offsets (as after a crash).
 *
 * @example if (!(await waitUntilSoleMember({ admin, groupId: 'weft', signal, logger }))) return;
 */
export async function waitUntilSoleMember(options: SoleMemberOptions): Promise<boolean> {
  const sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  let waiting = false;
  while (!options.signal.aborted) {
    const members = await options.admin.describeGroupMembers(options.groupId);
    if (members.length === 0) {
      if (waiting) {
        options.logger.info({ group: options.groupId }, 'the group is free: taking over');
        options.onWaiting?.(null);
      }
      return true;
    }
    if (!waiting) {
      options.logger.warn(
        { group: options.groupId, members: members.map((m) => `${m.clientId}@${m.clientHost}`) },
        'another correlator is in the consumer group: waiting as a standby until it leaves ' +
          '(one correlator per group; scale-out is not built)',
      );
      waiting = true;
    }
    options.onWaiting?.(members);
    await sleep(options.pollMs ?? 1_000);
  }
  return false;
}
