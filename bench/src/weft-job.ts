import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { latestSessions, recordId, runBatch } from '@weft/engine';
import type { RawInput } from '@weft/engine';
import { compileTemplate, isEventSource, loadTemplate } from '@weft/templates';
import type { CompiledTemplate, Session } from '@weft/templates';
import { sessionLine, sha256, signature } from './canonical.js';

/** What one batch run over (a partition of) the input produced. */
export interface BatchOutcome {
  readonly sessions: Session[];
  readonly deadLetters: number;
  readonly late: number;
  readonly orphans: number;
}

/**
 * The in-app-purchase example template, compiled, as the job the Flink peer
 * mirrors: correlation and the flow conclusions. The peer keeps no entity
 * profiles, so the `entities` section and the conclusions that read
 * `entity.<kind>.<feature>` are left out (the engine's own benchmarks measure
 * the template whole).
 */
export function inAppPurchaseTemplate(): CompiledTemplate {
  const require = createRequire(import.meta.url);
  const path = require.resolve('@weft/templates/examples/in-app-purchase.json');
  return compileTemplate(loadTemplate(withoutEntities(JSON.parse(readFileSync(path, 'utf8')))));
}

interface TemplateJson {
  entities?: unknown;
  conclusions?: { when: string; explanation?: string }[];
}

const READS_ENTITY = /\bentity\.[A-Za-z_]/;

/** The template without its entity profiles and whatever reads them. */
export function withoutEntities(template: TemplateJson): TemplateJson {
  const { entities: _dropped, ...rest } = template;
  return {
    ...rest,
    conclusions: (template.conclusions ?? []).filter(
      (c) => !READS_ENTITY.test(c.when) && !READS_ENTITY.test(c.explanation ?? ''),
    ),
  };
}

/** The template's event sources, baseline sources first (the partitioner needs their keys first). */
export function sourceOrder(compiled: CompiledTemplate): string[] {
  const baseline = new Set(compiled.template.baseline.nodes.map((n) => n.source));
  const events = compiled.template.sources.filter(isEventSource).map((s) => s.id);
  return [...events.filter((s) => baseline.has(s)), ...events.filter((s) => !baseline.has(s))];
}

/** Runs the engine's batch mode and keeps the final version of every session. */
export function runWeftBatch(
  compiled: CompiledTemplate,
  inputs: readonly RawInput[],
): BatchOutcome {
  const events = runBatch(compiled, inputs);
  let deadLetters = 0;
  let late = 0;
  let orphans = 0;
  for (const e of events) {
    if (e.type === 'deadLetter') deadLetters++;
    else if (e.type === 'late') late++;
    else if (e.type === 'orphan') orphans++;
  }
  return { sessions: latestSessions(events), deadLetters, late, orphans };
}

/**
 * The canonical session lines of Weft's sessions. A session record carries the
 * engine's record id, not the raw line, so the raw lines' hashes are looked up
 * by record id (the id is a hash of source + raw line).
 */
export function canonicalLines(
  sessions: readonly Session[],
  inputs: readonly RawInput[],
): string[] {
  const lineHash = new Map<string, string>();
  for (const input of inputs) {
    const id = recordId(input.source, input.raw);
    const hash = sha256(input.raw);
    const known = lineHash.get(id);
    if (known !== undefined && known !== hash)
      throw new Error(
        `record id ${id} names two different lines of ${input.source}: cannot compute signatures`,
      );
    lineHash.set(id, hash);
  }
  return sessions.map((session) => {
    const signatures: string[] = [];
    for (const node of session.nodes) {
      for (const r of node.records) {
        const hash = lineHash.get(r.recordId);
        if (hash === undefined)
          throw new Error(
            `record ${r.recordId} of session ${session.sessionId} is not in the input`,
          );
        signatures.push(signature(r.source, r.eventTime, hash));
      }
    }
    return sessionLine(session.businessKey, signatures);
  });
}
