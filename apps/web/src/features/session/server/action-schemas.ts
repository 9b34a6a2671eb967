import { z } from 'zod';

export const AnnotateSchema = z.object({
  correct: z.boolean({ error: 'say whether the verdict is right (true) or wrong (false)' }),
  note: z.string().trim().max(2000, 'at most 2000 characters').default(''),
});

export const MergeSchema = z.object({
  otherSessionId: z.string().trim().min(1, 'give the id of the other half').max(191),
  decision: z.enum(['merge', 'keep'], { error: 'must be "merge" or "keep"' }),
});

export const SessionIdSchema = z.string().min(1).max(191);
