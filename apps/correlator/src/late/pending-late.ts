import type { LateRecord, Template } from '@weft/templates';
import { reprocessHorizon } from './late-horizon.js';

interface Waiting {
  horizon: number;
  late: LateRecord;
}

/**
 * The late records consumed from the side queue and not applied yet, each
 * waiting until the live job's watermark passes its horizon
 * ({@link reprocessHorizon}). Records leave in horizon order, then in arrival
 * order. Its contents are operator state: a checkpoint stores them (with the
 * side queue's offsets past them) and a restart restores them.
 *
 * @example
 * const pending = new PendingLate(template);
 * pending.add(late);
 * for (let late = pending.nextReady(wm); late; late = pending.nextReady(wm)) {
 *   await apply(late);
 *   pending.done(late);
 * }
 */
export class PendingLate {
  private waiting: Waiting[] = [];

  constructor(private template: Template) {}

  get size(): number {
    return this.waiting.length;
  }

  /** A new template version moves the horizons of what waits (its bounds may have changed). */
  retarget(template: Template): void {
    this.template = template;
    const records = this.waiting.map((w) => w.late);
    this.waiting = [];
    for (const late of records) this.add(late);
  }

  add(late: LateRecord): void {
    const horizon = reprocessHorizon(this.template, late);
    let at = this.waiting.length;
    while (at > 0 && this.waiting[at - 1]!.horizon > horizon) at--;
    this.waiting.splice(at, 0, { horizon, late });
  }

  /** The first record whose horizon the watermark has passed; it stays queued until {@link done}. */
  nextReady(watermark: number | null): LateRecord | undefined {
    const first = this.waiting[0];
    return first !== undefined && watermark !== null && first.horizon < watermark
      ? first.late
      : undefined;
  }

  /** Removes `late` once its effects are durable. */
  done(late: LateRecord): void {
    const at = this.waiting.findIndex((w) => w.late === late);
    if (at >= 0) this.waiting.splice(at, 1);
  }

  /** What waits, in order, for a checkpoint. */
  list(): LateRecord[] {
    return this.waiting.map((w) => w.late);
  }
}
