import { defineConfig } from 'vitest/config';

/**
 * Shared vitest settings. Workspace packages resolve each other's TypeScript
 * sources through the `weft-source` export condition, so tests never need a
 * prior build of their dependencies. Each run also writes a JSON report that
 * scripts/test-summary.mjs sums into the monorepo's closing line.
 */
export default defineConfig({
  resolve: { conditions: ['weft-source'] },
  ssr: { resolve: { conditions: ['weft-source'], externalConditions: ['weft-source'] } },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
  },
});
