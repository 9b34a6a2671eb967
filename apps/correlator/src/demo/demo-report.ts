import { openStore } from '@weft/storage';

/** Stored sessions per template, then per conclusion (`none` when no conclusion held). */
export type ConclusionCounts = Record<string, Record<string, number>>;

/**
 * Counts the stored sessions by template and by their first verdict.
 *
 * @example await countConclusions('sqlite:.weft/demo/weft.db') // { 'in-app-purchase': { ok: 1702, … } }
 */
export async function countConclusions(dbUrl: string): Promise<ConclusionCounts> {
  const store = await openStore(dbUrl);
  const counts: ConclusionCounts = {};
  try {
    for await (const session of store.sessions.export()) {
      const perTemplate = (counts[session.templateId] ??= {});
      const conclusion = session.verdict?.conclusion ?? 'none';
      perTemplate[conclusion] = (perTemplate[conclusion] ?? 0) + 1;
    }
  } finally {
    await store.close();
  }
  return counts;
}

/** One line per template, largest conclusions first: `in-app-purchase: 2001 sessions (ok 1702, …)`. */
export function formatConclusions(counts: ConclusionCounts): string[] {
  return Object.entries(counts).map(([templateId, byConclusion]) => {
    const entries = Object.entries(byConclusion).sort(([, a], [, b]) => b - a);
    const total = entries.reduce((sum, [, n]) => sum + n, 0);
    return `${templateId}: ${total} sessions (${entries.map(([c, n]) => `${c} ${n}`).join(', ')})`;
  });
}
