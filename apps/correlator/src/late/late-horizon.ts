import type { LateRecord, Template } from '@weft/templates';

/**
 * The watermark after which a late record may be applied to the stored
 * sessions: by then the live job can neither hold nor still create a session
 * the record could touch, so the stored sessions are final and late
 * reprocessing gives what batch mode gives (the engine's differential
 * property applies late records to the final stored sessions).
 *
 * It assumes what the template declares: no session spans more than
 * `baseline.maxSpan`. A session is forgotten by the job once its window is
 * cleaned up (`end - 1 + allowedLateness`, end = last record + gap) and
 * every supplement window around its anchors has closed (`anchor + upper`).
 *
 * - A late **supplement** at `ts` can only join a session with an anchor in
 *   `[ts - upper, ts - lower]`; that session's records end by
 *   `ts - lower + maxSpan`.
 * - A late **baseline** record at `ts` touches sessions whose window meets
 *   `[ts, ts + gap)`, ending by `ts + gap + maxSpan`; and a supplement that
 *   should join it may wait in the job's buffer until
 *   `ts + upper - lower + gap - 1 + allowedLateness + maxSpan`, when it
 *   becomes the stored orphan that reprocessing adopts.
 * - With entity profiles, the job also holds a session until its profile
 *   steps settle (`settleDelay` = gap + maxSpan + allowedLateness after its
 *   last observation, at the latest its last record) and then may emit one
 *   more version. Applied before that, the late record's version would be
 *   overwritten by the job's, which lacks it.
 *
 * @example reprocessHorizon(template, late) // apply once the job's watermark is past it
 */
export function reprocessHorizon(template: Template, late: LateRecord): number {
  const { gap, maxSpan, allowedLateness } = template.baseline;
  const ts = late.record.eventTime;
  const windowDone = gap - 1 + allowedLateness;
  const maxUpper = Math.max(0, ...template.supplements.map((s) => s.upper));
  const forgottenAfterEnd = Math.max(windowDone, maxUpper + 1);
  const settled = template.entities === undefined ? 0 : maxUpper + gap + maxSpan + allowedLateness;
  if (late.kind === 'supplement') {
    const lower = template.supplements.find((s) => s.id === late.node)?.lower ?? 0;
    // Baseline records of a session it can join end by `ts - lower + maxSpan`.
    return ts - lower + maxSpan + Math.max(forgottenAfterEnd, settled);
  }
  const widestJoin = Math.max(0, ...template.supplements.map((s) => s.upper - s.lower));
  return (
    ts +
    Math.max(
      gap + maxSpan + Math.max(forgottenAfterEnd, settled),
      widestJoin + windowDone + maxSpan,
    )
  );
}
