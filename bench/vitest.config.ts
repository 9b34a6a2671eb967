import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../vitest.shared.js';

// The harness's own tests: `npx vitest run --root bench` (bench/ is not a workspace).
export default mergeConfig(shared, defineConfig({}));
