import type { CompiledTemplate, Session } from '@weft/templates';
import { sessionLine, sha256, signature } from './canonical.js';
import { EventTimeHeap } from './event-time-heap.js';

/** A session that changed after its canonical line was written: the horizon was too short. */
export class HorizonError extends Error {
  override name = 'HorizonError' as const;
}

/** What a session's canonical line needs: per record, its source, event time and record id. */
interface Held {
  readonly businessKey: string;
  readonly end: number;
  readonly version: number;
  /** source, eventTime, recordId, source, eventTime, recordId, … */
  readonly records: readonly (string | number)[];
}

/**
 * How long (ms of event time) after its last record a session may still
 * change: a record within the gap merges into it, the final firing waits for
 * the gap and the allowed lateness, and a supplement attaches up to its
 * upper bound after an anchor (or ahead of it by its lower bound).
 */
export function sessionHorizon(compiled: CompiledTemplate): number {
  const { baseline, supplements } = compiled.template;
  const upper = Math.max(0, ...supplements.map((s) => s.upper));
  const ahead = Math.max(0, ...supplements.map((s) => -s.lower));
  return baseline.gap + baseline.allowedLateness + upper + ahead + 1;
}

function held(session: Session): Held {
  const records: (string | number)[] = [];
  for (const node of session.nodes)
    for (const r of node.records) records.push(r.source, r.eventTime, r.recordId);
  return { businessKey: session.businessKey, end: session.end, version: session.version, records };
}

/**
 * The final version of every session, written as a canonical line
 * (bench/peers/flink/README.md) once the watermark is a horizon past its last
 * record, so that memory holds only the sessions that may still change.
 * `latestSessions` semantics: the highest version per session id, without
 * retracted ids. An update to a session already written throws HorizonError.
 *
 * Example: `digests.remember(id, raw, ts)` per record, `digests.update(s)` per
 * emitted session, `digests.flush(watermark)` after each advance.
 */
export class SessionDigests {
  private readonly latest = new Map<string, Held>();
  /** Retracted id → end of its last version (forgotten with the sessions of that time). */
  private readonly retracted = new Map<string, number>();
  private readonly byEnd = new EventTimeHeap<{ ts: number; rank: 0; seq: number; id: string }>();
  private readonly rawLines = new Map<string, { readonly raw: string; readonly ts: number }>();
  private writtenBelow = Number.NEGATIVE_INFINITY;
  private sweptAt = Number.NEGATIVE_INFINITY;
  private updates = 0;
  /** Sessions written so far. */
  sessions = 0;
  /** Records forgotten without being part of a session (orphans, duplicates, supplements not kept). */
  unreferenced = 0;

  constructor(
    readonly horizonMs: number,
    private readonly write: (lines: string[]) => void,
  ) {}

  /** The raw line behind a record id, needed for its signature. */
  remember(recordId: string, raw: string, ts: number): void {
    this.rawLines.set(recordId, { raw, ts });
  }

  update(session: Session): void {
    const id = session.sessionId;
    if (session.end < this.writtenBelow)
      throw new HorizonError(
        `session ${id} (last record at ${String(session.end)}) changed after sessions ending before ${String(this.writtenBelow)} were written: the horizon of ${String(this.horizonMs)} ms is too short`,
      );
    if (this.retracted.has(id)) return;
    const previous = this.latest.get(id);
    if (previous !== undefined && previous.version >= session.version) return;
    this.latest.set(id, held(session));
    if (previous === undefined || previous.end !== session.end)
      this.byEnd.push({ ts: session.end, rank: 0, seq: this.updates++, id });
  }

  retract(sessionId: string): void {
    const previous = this.latest.get(sessionId);
    if (previous === undefined)
      throw new HorizonError(
        `session ${sessionId} was retracted after it was written (or was never emitted): the horizon of ${String(this.horizonMs)} ms is too short`,
      );
    this.latest.delete(sessionId);
    this.retracted.set(sessionId, previous.end);
  }

  /** Writes every session whose last record is a horizon behind `watermark` (all of them at +∞). */
  flush(watermark: number): void {
    const below = watermark - this.horizonMs;
    if (below <= this.writtenBelow) return;
    this.writtenBelow = below;
    const lines: string[] = [];
    this.byEnd.popUpTo(below - 1, ({ ts, id }) => {
      const session = this.latest.get(id);
      if (session === undefined || session.end !== ts) return; // written, retracted or grown since
      this.latest.delete(id);
      lines.push(this.line(session));
    });
    this.sessions += lines.length;
    if (lines.length > 0) this.write(lines);
    if (below - this.sweptAt >= this.horizonMs) this.sweep(below);
  }

  private line(session: Held): string {
    const signatures: string[] = [];
    const r = session.records;
    for (let i = 0; i < r.length; i += 3) {
      const entry = this.rawLines.get(r[i + 2] as string);
      if (entry === undefined)
        throw new Error(
          `record ${String(r[i + 2])} of a session of ${session.businessKey} was not read`,
        );
      signatures.push(signature(r[i] as string, r[i + 1] as number, sha256(entry.raw)));
    }
    for (let i = 2; i < r.length; i += 3) this.rawLines.delete(r[i] as string);
    return sessionLine(session.businessKey, signatures);
  }

  /** Forgets raw lines and retractions too old to matter any more. */
  private sweep(below: number): void {
    this.sweptAt = below;
    for (const [id, entry] of this.rawLines)
      if (entry.ts < below - this.horizonMs) {
        this.rawLines.delete(id);
        this.unreferenced++;
      }
    for (const [id, end] of this.retracted) if (end < below) this.retracted.delete(id);
  }
}
