import { z } from 'zod';

const Definition = z.record(z.string(), z.unknown(), {
  error: 'must be the template as a JSON object',
});

export const CheckSchema = z.object({
  definition: Definition,
  samples: z
    .array(z.object({ source: z.string().min(1).max(128), raw: z.unknown() }))
    .max(200, 'at most 200 sample records')
    .default([]),
});

export const PublishSchema = z.object({ definition: Definition });
