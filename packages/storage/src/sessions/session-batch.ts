import { SESSION_KEY_LIMITS, codePointsOver } from '@weft/templates';
import type { Session, SessionRetraction } from '@weft/templates';
import { chunkBySize } from '../chunks.js';
import { BatchTooLargeError, StorageValidationError } from '../errors.js';

/** A session version or a retraction (merge absorbed the session), as the engine emits them. */
export type SessionChange = Session | SessionRetraction;

/**
 * Per-transaction limits, well under TiDB's defaults (txn-total-size-limit
 * 100 MB, 300k keys per transaction in older releases): each session writes
 * ~1 + fields + nodes rows plus its index entries.
 */
export const BATCH_LIMITS = { sessions: 2000, bytes: 32 * 1024 * 1024 };

const ID_MAX = SESSION_KEY_LIMITS.sessionIdChars;
const TEMPLATE_ID_MAX = 128;
const BUSINESS_KEY_MAX = SESSION_KEY_LIMITS.businessKeyChars;

export function isRetraction(change: SessionChange): change is SessionRetraction {
  return 'mergedInto' in change && !('nodes' in change);
}

/**
 * Splits changes into batches that each fit one transaction.
 *
 * @example for (const batch of chunkSessionBatch(changes)) await store.sessions.upsert(batch);
 */
export function chunkSessionBatch(changes: readonly SessionChange[]): SessionChange[][] {
  return chunkBySize(
    changes,
    { rows: BATCH_LIMITS.sessions, bytes: BATCH_LIMITS.bytes },
    approximateBytes,
  );
}

/**
 * Validates a batch and keeps, per session id, only its highest version (the
 * others could never win), so a batch never conflicts with itself.
 */
export function prepareBatch(changes: readonly SessionChange[]): SessionChange[] {
  let bytes = 0;
  const newest = new Map<string, SessionChange>();
  for (const change of changes) {
    assertStorable(change);
    bytes += approximateBytes(change);
    const seen = newest.get(change.sessionId);
    if (seen === undefined || seen.version < change.version) newest.set(change.sessionId, change);
  }
  if (changes.length > BATCH_LIMITS.sessions || bytes > BATCH_LIMITS.bytes) {
    throw new BatchTooLargeError(changes.length, bytes, BATCH_LIMITS);
  }
  return [...newest.values()].sort((a, b) => (a.sessionId < b.sessionId ? -1 : 1));
}

function assertStorable(change: SessionChange): void {
  tooLong('sessionId', change.sessionId, ID_MAX);
  tooLong('templateId', change.templateId, TEMPLATE_ID_MAX);
  if (!Number.isSafeInteger(change.version) || change.version < 1) {
    throw new StorageValidationError(
      `Session "${change.sessionId}" has version ${change.version}; versions are positive integers.`,
    );
  }
  if (isRetraction(change)) {
    tooLong('mergedInto', change.mergedInto, ID_MAX);
    return;
  }
  tooLong('businessKey', change.businessKey, BUSINESS_KEY_MAX, 0);
  if (change.mergedInto !== null) tooLong('mergedInto', change.mergedInto, ID_MAX);
  for (const field of Object.keys(change.fields)) {
    tooLong('field name', field, ID_MAX);
    // The MySQL family's keys ignore trailing spaces: "a " would be the same row as "a".
    if (field.endsWith(' ')) {
      throw new StorageValidationError(
        `Session "${change.sessionId}" has the field name "${field}", which ends with a space; field names are compared without trailing spaces, so rename it without them.`,
      );
    }
  }
}

function tooLong(what: string, value: string, max: number, min = 1): void {
  const chars = value.length < min ? value.length : codePointsOver(value, max);
  if (chars === null) return;
  throw new StorageValidationError(
    `The ${what} "${value.slice(0, 60)}" must be ${min}-${max} characters long (it is ${chars}).`,
  );
}

/**
 * About the bytes the change writes (its JSON text length, counted without
 * building it: stringifying every session of every batch cost as much CPU
 * as a tenth of the upsert). Like JSON.stringify's length it counts UTF-16
 * units, not UTF-8 bytes; BATCH_LIMITS.bytes leaves margin for that.
 */
function approximateBytes(change: SessionChange): number {
  if (isRetraction(change)) return 200;
  return 256 + jsonLength(change.fields) + jsonLength(change.nodes) + jsonLength(change.verdicts);
}

function jsonLength(value: unknown): number {
  if (typeof value === 'string') return value.length + 2;
  if (value === null || typeof value !== 'object') return 8;
  let length = 2;
  if (Array.isArray(value)) {
    for (const item of value) length += jsonLength(item) + 1;
    return length;
  }
  const record = value as Record<string, unknown>;
  // for…in over a plain object: no entries array per object (this runs for every record of every batch).
  for (const key in record) length += key.length + 4 + jsonLength(record[key]);
  return length;
}
