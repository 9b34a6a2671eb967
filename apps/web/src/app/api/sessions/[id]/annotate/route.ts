import { AnnotateSchema } from '@/features/session/server/action-schemas';
import { annotateVerdict } from '@/features/session/server/operator-actions';
import { sessionActionRoute } from '@/features/session/server/respond';

/** POST /api/sessions/:id/annotate { correct, note }: the operator judges the verdict. */
export const POST = sessionActionRoute(AnnotateSchema, annotateVerdict, 'Annotating the verdict');
