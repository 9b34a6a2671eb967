import type { SessionSummary } from '@weft/storage';
import type { Severity } from '@weft/templates';

/** One search hit as the results table shows it (and the CSV export writes it). */
export interface SessionRow {
  sessionId: string;
  templateId: string;
  businessKey: string;
  start: number;
  end: number;
  status: 'open' | 'closed';
  verdict: string | null;
  verdictLabel: string | null;
  severity: Severity | null;
  /** The field that matched, when the search was by field value. */
  matchedField: string | null;
}

/** A stored session summary as a results row; `matchedField` is the field the search matched, if any. */
export function toSessionRow(summary: SessionSummary, matchedField: string | null): SessionRow {
  return {
    sessionId: summary.sessionId,
    templateId: summary.templateId,
    businessKey: summary.businessKey,
    start: summary.start,
    end: summary.end,
    status: summary.status,
    verdict: summary.verdict?.conclusion ?? null,
    verdictLabel: summary.verdict?.label ?? null,
    severity: summary.verdict?.severity ?? null,
    matchedField,
  };
}

export interface SearchResult {
  rows: SessionRow[];
  nextCursor: string | null;
  /** How the input was understood, shown above the results. */
  understoodAs: string;
}

export const SESSION_ROW_CSV_HEADER = [
  'session_id',
  'template_id',
  'business_key',
  'start',
  'end',
  'status',
  'verdict',
  'severity',
  'matched_field',
] as const;

export function sessionRowCsvCells(row: SessionRow): (string | number | null)[] {
  return [
    row.sessionId,
    row.templateId,
    row.businessKey,
    new Date(row.start).toISOString(),
    new Date(row.end).toISOString(),
    row.status,
    row.verdict,
    row.severity,
    row.matchedField,
  ];
}
