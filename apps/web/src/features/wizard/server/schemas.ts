import { z } from 'zod';

const Definition = z.record(z.string(), z.unknown(), {
  error: 'must be the template as a JSON object',
});

/** Caps on what one check/preview request may ask the server (and the engine) to do. */
export const CHECK_LIMITS = { samples: 200, sampleChars: 16_384, bodyBytes: 1_000_000 } as const;

export const CheckSchema = z.object({
  definition: Definition,
  /** Sample lines exactly as a source would deliver them (the engine parses them). */
  samples: z
    .array(
      z.object({
        source: z.string().min(1).max(128),
        raw: z
          .string()
          .max(
            CHECK_LIMITS.sampleChars,
            `at most ${CHECK_LIMITS.sampleChars} characters per sample line`,
          ),
      }),
    )
    .max(CHECK_LIMITS.samples, `at most ${CHECK_LIMITS.samples} sample records`)
    .default([]),
});

export const PublishSchema = z.object({ definition: Definition });
