import { latestSessions, recordId } from '@weft/engine';
import type { JobEvent, RawInput } from '@weft/engine';
import type { FieldValue, Template } from '@weft/templates';
import { buildBehaviorTree } from '@/features/session';
import type { BehaviorTreeView } from '@/features/session';
import type { PreviewNotice } from './preview-lookups';

/**
 * What @weft/engine's batch mode made of the wizard's samples, shaped for the
 * preview panel. Assumes `events` is `runBatch(compileTemplate(template), inputs)`
 * for these very `inputs`.
 */
export interface PreviewModel {
  /** One behavior tree per final session (the same view model as the session page). */
  trees: BehaviorTreeView[];
  orphans: PreviewRecord[];
  deadLetters: { source: string; reason: string; raw: string }[];
  /** Records the batch run saw behind the watermark (should not happen in batch mode; shown if it does). */
  late: PreviewRecord[];
  /** Samples that parsed and extracted but belong to no node of the draft (filtered out). */
  unrouted: { source: string; raw: string }[];
  /** Sessions a merge absorbed during the run. */
  retracted: number;
  inputs: number;
}

export interface PreviewRecord {
  node: string;
  source: string;
  eventTime: number;
  keys: Record<string, FieldValue>;
  rawText: string;
}

function pretty(raw: unknown): string {
  return JSON.stringify(raw, null, 2) ?? String(raw);
}

/**
 * Builds the preview from the engine's events.
 *
 * @example buildPreview(runBatch(compiled, inputs), template, inputs).trees[0].problems
 */
export function buildPreview(
  events: readonly JobEvent[],
  template: Template,
  inputs: readonly RawInput[],
): PreviewModel {
  const sessions = latestSessions(events);
  const orphans: PreviewRecord[] = [];
  const late: PreviewRecord[] = [];
  const deadLetters: PreviewModel['deadLetters'] = [];
  let retracted = 0;
  for (const event of events) {
    if (event.type === 'orphan') {
      const { node, record, keys } = event.orphan;
      orphans.push({
        node,
        source: record.source,
        eventTime: record.eventTime,
        keys,
        rawText: pretty(record.raw),
      });
    } else if (event.type === 'late') {
      const { node, record, keys } = event.late;
      late.push({
        node,
        source: record.source,
        eventTime: record.eventTime,
        keys,
        rawText: pretty(record.raw),
      });
    } else if (event.type === 'deadLetter') {
      const { source, reason, raw } = event.deadLetter;
      deadLetters.push({ source, reason, raw });
    } else if (event.type === 'retraction') retracted += 1;
  }
  const used = new Set<string>();
  for (const session of sessions)
    for (const node of session.nodes) for (const r of node.records) used.add(r.recordId);
  for (const event of events) {
    if (event.type === 'orphan') used.add(event.orphan.record.recordId);
    if (event.type === 'late') used.add(event.late.record.recordId);
  }
  const dead = new Set(deadLetters.map((d) => `${d.source}\n${d.raw}`));
  const unrouted = inputs
    .filter((i) => !used.has(recordId(i.source, i.raw)) && !dead.has(`${i.source}\n${i.raw}`))
    .map((i) => ({ source: i.source, raw: i.raw }));
  return {
    trees: sessions.map((session) => buildBehaviorTree(session, template)),
    orphans,
    deadLetters,
    late,
    unrouted,
    retracted,
    inputs: inputs.length,
  };
}

/**
 * A preview run's result as the panel receives it, with why enrichment
 * fields are null (a lookup's table missing, unreadable or cut); a failed or
 * overrun run is a message.
 */
export type PreviewOutcome =
  | { ok: true; model: PreviewModel; notices: PreviewNotice[]; elapsedMs: number }
  | { ok: false; error: string };
