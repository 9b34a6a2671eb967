/**
 * Reads the simulator's hidden `_sim` tag from a raw record. This file is the
 * only place in Weft that looks at `_sim`: correlation must never depend on it.
 */
export function simRecordId(raw: unknown): string | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const tag = (raw as { _sim?: unknown })._sim;
  if (typeof tag !== 'object' || tag === null) return null;
  const record = (tag as { record?: unknown }).record;
  return typeof record === 'string' && record !== '' ? record : null;
}
