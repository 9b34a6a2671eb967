import { z } from 'zod';
import { DURATION_PATTERN, OFFSET_PATTERN, parseDuration } from './duration.js';
import { RESERVED_IDS } from './limits.js';

/**
 * The schema building blocks every template section shares (identifiers and
 * durations), in a module of their own so that section schemas in other
 * files (`entities.ts`) and `template.ts` can both import them.
 */

/** A source, node, field, conclusion or dashboard id: also a CEL map key, so identifier-shaped. */
export const IdentifierSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,63}$/, {
    error: 'use lowercase letters, digits and _ (start with a letter, at most 64 characters)',
  })
  .refine((id) => !RESERVED_IDS.has(id), {
    error: (issue) => `"${String(issue.input)}" is a reserved word; pick another name`,
  });

function durationSchema(pattern: string, allowNegative: boolean) {
  const what = allowNegative ? 'an offset' : 'a duration';
  const hint = `${what} like "20m", "90s", "2h", "1h30m"${allowNegative ? ', "-1m"' : ''} or integer milliseconds`;
  const asNumber = allowNegative ? z.number().int() : z.number().int().nonnegative();
  return z
    .union([asNumber, z.string().regex(new RegExp(pattern), { error: `expected ${hint}` })], {
      error: `expected ${hint}`,
    })
    .transform((value, ctx) => {
      const ms = parseDuration(value);
      if (ms === null) {
        ctx.addIssue({ code: 'custom', message: `expected ${hint}`, input: value });
        return z.NEVER;
      }
      return ms;
    });
}

/** A non-negative duration; parsed to integer milliseconds. */
export const DurationSchema = durationSchema(DURATION_PATTERN, false);
/** A signed offset relative to an anchor time (join bounds); parsed to integer milliseconds. */
export const OffsetSchema = durationSchema(OFFSET_PATTERN, true);
