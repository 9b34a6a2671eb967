import { describe, expect, it } from 'vitest';
import type { GroupMember } from '../kafka/index.js';
import { createLogger } from '../logging.js';
import { waitUntilSoleMember } from './sole-member.js';

const logger = createLogger({ level: 'silent' });
const member = (id: string): GroupMember => ({
  memberId: id,
  clientId: 'weft-correlator',
  clientHost: '/10.0.0.7',
});

/** A group that lists the given members at successive describes, then none. */
function groupOver(answers: GroupMember[][]) {
  let calls = 0;
  return {
    admin: {
      describeGroupMembers: (groupId: string) => {
        expect(groupId).toBe('weft-g');
        return Promise.resolve(answers[calls++] ?? []);
      },
    },
    calls: () => calls,
  };
}

describe('waitUntilSoleMember', () => {
  it('returns at once when the group is empty, reporting nothing', async () => {
    const group = groupOver([]);
    const seen: unknown[] = [];
    const sole = await waitUntilSoleMember({
      admin: group.admin,
      groupId: 'weft-g',
      signal: new AbortController().signal,
      logger,
      onWaiting: (members) => seen.push(members),
    });
    expect(sole).toBe(true);
    expect(group.calls()).toBe(1);
    expect(seen).toEqual([]);
  });

  it('waits as a standby while another member is listed, then takes over', async () => {
    const group = groupOver([[member('a')], [member('a')], []]);
    const seen: (readonly GroupMember[] | null)[] = [];
    const slept: number[] = [];
    const sole = await waitUntilSoleMember({
      admin: group.admin,
      groupId: 'weft-g',
      signal: new AbortController().signal,
      logger,
      onWaiting: (members) => seen.push(members),
      pollMs: 250,
      sleep: (ms) => Promise.resolve(void slept.push(ms)),
    });
    expect(sole).toBe(true);
    expect(group.calls()).toBe(3);
    expect(slept).toEqual([250, 250]);
    expect(seen).toEqual([[member('a')], [member('a')], null]);
  });

  it('stops waiting when the signal aborts', async () => {
    const controller = new AbortController();
    const group = groupOver(Array.from({ length: 100 }, () => [member('a')]));
    const sole = await waitUntilSoleMember({
      admin: group.admin,
      groupId: 'weft-g',
      signal: controller.signal,
      logger,
      sleep: () => Promise.resolve(controller.abort()),
    });
    expect(sole).toBe(false);
    expect(group.calls()).toBe(1);
  });
});
