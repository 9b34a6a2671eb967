import { z } from 'zod';

/** The search page's and API's query string: `q`, optional keyset `cursor`, `limit` (1–200). */
export const SearchParamsSchema = z.object({
  q: z.string().trim().max(500, 'at most 500 characters').default(''),
  cursor: z.string().max(1000).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  format: z.enum(['json', 'csv']).default('json'),
});
export type SearchParams = z.infer<typeof SearchParamsSchema>;
