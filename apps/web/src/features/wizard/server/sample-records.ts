import type { Store } from '@weft/storage';

/**
 * Real sample lines for the wizard: the raw records of the template's most
 * recent stored sessions, one `<source> <JSON>` line each, at most `maxLines`.
 *
 * @example await recentSampleLines(store, 'in-app-purchase') // 'client_order {"ts":…}\n…'
 */
export async function recentSampleLines(
  store: Store,
  templateId: string,
  maxSessions = 3,
  maxLines = 40,
): Promise<string> {
  const page = await store.sessions.search({ templateId, limit: maxSessions });
  const lines: string[] = [];
  for (const summary of page.sessions) {
    const session = await store.sessions.get(summary.sessionId);
    for (const node of session?.nodes ?? [])
      for (const record of node.records)
        lines.push(`${record.source} ${JSON.stringify(record.raw)}`);
  }
  return lines.slice(0, maxLines).join('\n');
}
