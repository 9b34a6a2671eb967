import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.js';

// Unit tests only (`*.test.ts`); the browser tests are `test/e2e/*.e2e.ts`, run by `test:e2e`.
export default mergeConfig(
  shared,
  defineConfig({
    resolve: { alias: { '@': new URL('./src', import.meta.url).pathname } },
    test: { include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'bench/**/*.test.ts'] },
  }),
);
