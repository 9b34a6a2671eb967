import type { Severity } from '@weft/templates';

export function SeverityBadge({
  severity,
  label,
}: {
  severity: Severity | null;
  label: string | null;
}) {
  if (!severity) return <span className="badge">no verdict</span>;
  return <span className={`badge sev-${severity}`}>{label ?? severity}</span>;
}
