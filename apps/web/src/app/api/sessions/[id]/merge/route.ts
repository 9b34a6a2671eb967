import { MergeSchema } from '@/features/session/server/action-schemas';
import { mergeOrKeep } from '@/features/session/server/operator-actions';
import { sessionActionRoute } from '@/features/session/server/respond';

/** POST /api/sessions/:id/merge { otherSessionId, decision: merge|keep } */
export const POST = sessionActionRoute(MergeSchema, mergeOrKeep, 'Merging the sessions');
