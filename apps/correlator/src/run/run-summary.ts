import type { SinkItem } from '../pipeline/index.js';
import type { RunSummary } from './bounded-run.js';
import { reasonCode } from './observe.js';

/** A run summary being counted: the distinct session ids seen so far. */
export interface Tally extends RunSummary {
  sessionIds: Set<string>;
}

/** A summary with nothing counted yet. */
export function emptySummary(
  templateId: string,
  missingSources: string[],
  unknownFiles: string[],
): Tally {
  return {
    templateId,
    inputs: {},
    deadLetters: {},
    sessions: 0,
    sessionVersions: 0,
    retractions: 0,
    orphans: 0,
    late: 0,
    missingSources,
    unknownFiles,
    sessionIds: new Set(),
  };
}

/** Counts what a job emitted into the summary. */
export function tally(summary: Tally, items: readonly SinkItem[]): void {
  for (const item of items) {
    if (item.kind === 'session') {
      summary.sessionIds.add(item.session.sessionId);
      summary.sessionVersions += 1;
    } else if (item.kind === 'retraction') summary.retractions += 1;
    else if (item.kind === 'orphan') summary.orphans += 1;
    else if (item.kind === 'late') summary.late += 1;
    else {
      const code = reasonCode(item.deadLetter.reason);
      summary.deadLetters[code] = (summary.deadLetters[code] ?? 0) + 1;
    }
  }
}

/** The summary as reported: distinct sessions counted, the id set dropped. */
export function finalize(summary: Tally): RunSummary {
  const { sessionIds, ...rest } = summary;
  return { ...rest, sessions: sessionIds.size };
}
