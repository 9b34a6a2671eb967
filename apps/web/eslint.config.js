// The web app's lint: the monorepo's rules plus Next's own, and the
// features-as-folders boundaries (client code never imports server code).
import nextPlugin from '@next/eslint-plugin-next';
import root from '../../eslint.config.js';

export default [
  ...root,
  {
    files: ['**/*.{ts,tsx}'],
    plugins: { '@next/next': nextPlugin },
    rules: {
      ...nextPlugin.configs.recommended.rules,
      ...nextPlugin.configs['core-web-vitals'].rules,
    },
    settings: { next: { rootDir: '.' } },
  },
  {
    files: ['src/features/*/components/**/*.{ts,tsx}', 'src/components/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '**/server/**',
                '**/server',
                '@weft/storage',
                '@weft/correlator',
                '@weft/simulator',
                'kafkajs',
              ],
              message: 'Client components never import server code: call an API route instead.',
            },
          ],
        },
      ],
    },
  },
];
