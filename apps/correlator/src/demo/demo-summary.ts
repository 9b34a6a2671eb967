import path from 'node:path';
import type { DemoData } from './demo-data.js';
import type { ConclusionCounts } from './demo-report.js';
import { formatConclusions } from './demo-report.js';
import { DEMO_SCENARIOS } from './demo-scenarios.js';
import type { DemoLogin } from './demo-users.js';

const iso = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');

/** The summary of the data phase: where the data is, what is simulated, what is stored. */
export function formatDataSummary(
  dataDir: string,
  data: DemoData,
  counts: ConclusionCounts,
): string[] {
  const { manifest } = data;
  const scenarios = DEMO_SCENARIOS.map((s) => s.scenario).join(' and ');
  return [
    '',
    `data dir:   ${dataDir}${data.reused ? ' (reused from an earlier run; --reset regenerates it)' : ''}`,
    `store:      ${data.dbUrl}`,
    `simulated:  ${manifest.orders} orders each of ${scenarios} (seed ${manifest.seed}, default faults),`,
    `            sessions starting ${iso(manifest.from)} to ${iso(manifest.to)} UTC, correlated by weft correlate's bounded mode`,
    'stored sessions by conclusion:',
    ...formatConclusions(counts).map((line) => `  ${line}`),
  ];
}

/** The demo accounts, one line each. */
export function formatLogins(logins: readonly DemoLogin[]): string[] {
  return [
    'logins (passwords generated for this data dir, kept in demo-logins.json):',
    ...logins.map((l) => `  ${l.role.padEnd(9)} ${l.email.padEnd(20)} ${l.password}`),
  ];
}

/** How to look at the stored data without the web app. */
export function inspectHints(dataDir: string, dbUrl: string): string[] {
  const truth = path.join(dataDir, 'input', 'in-app-purchase', 'truth.ndjson');
  return [
    'inspect the data from the CLI:',
    `  npx weft export --db ${dbUrl} --template in-app-purchase > sessions.ndjson`,
    `  npx weft score --truth ${truth} --sessions sessions.ndjson`,
  ];
}
