import type { TemplateIssue } from '@weft/templates';
import type { PreviewOutcome } from './preview-model';

/** The body of `POST /api/templates/check`, shared by the route and the wizard. */
export interface CheckResponse {
  ok: boolean;
  errors: TemplateIssue[];
  warnings: TemplateIssue[];
  /** Changes against the published version (null when nothing is published or the draft is invalid). */
  diff: { changes: string[]; requiresRestart: boolean; warnings: string[] } | null;
  /** The samples correlated by @weft/engine under this draft; null while the draft is invalid. */
  preview: PreviewOutcome | null;
}
