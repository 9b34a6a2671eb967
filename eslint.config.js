// ESLint flat config for the whole monorepo. Besides the usual TypeScript
// rules it enforces the dependency direction of docs/architecture.md:
// templates <- engine <- correlator; storage <- correlator, web;
// simulator <- correlator (demo), tests and benchmarks.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const ioModules = ['kafkajs', 'mysql2', 'mysql2/*', 'kysely', 'libsql', 'pino', 'prom-client'];

/** Builds a no-restricted-imports rule that forbids the given module patterns. */
function forbid(patterns, why) {
  return {
    'no-restricted-imports': ['error', { patterns: [{ group: patterns, message: why }] }],
  };
}

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/.next/**',
      '**/.turbo/**',
      '.services/**',
      '**/next-env.d.ts',
      'bench/peers/**',
      'coverage/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-eval': 'error',
      'no-new-func': 'error',
      'no-implied-eval': 'error',
    },
  },
  {
    files: ['packages/engine/src/**/*.ts'],
    ignores: ['packages/engine/src/**/*.test.ts'],
    rules: {
      ...forbid(
        [
          'node:*',
          'fs',
          'path',
          'net',
          'http',
          ...ioModules,
          '@weft/storage',
          '@weft/simulator',
          '@weft/correlator',
          '@weft/web',
        ],
        'packages/engine is pure: no I/O, no Kafka, no SQL, no clock. Time and records come in through the caller.',
      ),
      'no-restricted-properties': [
        'error',
        {
          object: 'Date',
          property: 'now',
          message: 'The engine never reads the clock: take time from the context.',
        },
        { object: 'performance', property: 'now', message: 'The engine never reads the clock.' },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'The engine never reads the clock: take time from the context.',
        },
      ],
    },
  },
  {
    files: ['packages/templates/src/**/*.ts'],
    rules: forbid(
      [
        ...ioModules,
        '@weft/engine',
        '@weft/storage',
        '@weft/simulator',
        '@weft/correlator',
        '@weft/web',
      ],
      'packages/templates is the root of the dependency graph: it imports no other Weft package and no I/O client.',
    ),
  },
  {
    files: ['packages/storage/src/**/*.ts'],
    rules: forbid(
      ['kafkajs', '@weft/engine', '@weft/simulator', '@weft/correlator', '@weft/web'],
      'packages/storage depends only on @weft/templates and its database drivers.',
    ),
  },
  {
    files: ['packages/simulator/src/**/*.ts'],
    rules: forbid(
      [
        'kafkajs',
        'mysql2',
        'kysely',
        'libsql',
        '@weft/engine',
        '@weft/storage',
        '@weft/correlator',
        '@weft/web',
      ],
      'packages/simulator writes through injected sinks; the Kafka client lives in apps/correlator.',
    ),
  },
  {
    files: ['apps/web/**/*.{ts,tsx}'],
    rules: forbid(
      ['@weft/correlator', '@weft/simulator', 'kafkajs'],
      'apps/web reads and writes through @weft/storage; it never imports the correlator.',
    ),
  },
);
