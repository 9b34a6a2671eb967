import { z } from 'zod';

const LIMIT = 'a whole number of rows from 1 to 200';

/** The search page's and API's query string: `q`, optional keyset `cursor`, `limit` (1–200). */
export const SearchParamsSchema = z.object({
  q: z.string().trim().max(500, 'at most 500 characters').default(''),
  cursor: z.string().max(1000).optional(),
  limit: z.coerce.number({ error: LIMIT }).int(LIMIT).min(1, LIMIT).max(200, LIMIT).default(50),
  format: z.enum(['json', 'csv'], { error: 'json or csv' }).default('json'),
});
export type SearchParams = z.infer<typeof SearchParamsSchema>;
