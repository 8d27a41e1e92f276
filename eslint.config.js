// Type-checked lint for every TypeScript file. Module boundaries: contracts may not import
// NestJS or vendor SDKs; services never import other services.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const services = [
  'gateway',
  'slurm-collector',
  'job-projection',
  'pipeline-orchestrator',
  'service-manager',
];

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '.tools/**',
      'coverage/**',
      'data/**',
      '**/*.js',
      '**/*.mjs',
      '**/*.cjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { project: './tsconfig.json', tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false },
      ],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-extraneous-class': 'off',
      // Port methods are async by contract even where an adapter has nothing to await.
      '@typescript-eslint/require-await': 'off',
      'no-restricted-syntax': [
        'error',
        {
          selector: 'TSEnumDeclaration',
          message: 'Use an `as const` object with a type of the same name.',
        },
      ],
    },
  },
  {
    // The dashboard's browser code has its own program (DOM lib, JSX): services/gateway/web.
    files: ['services/gateway/web/**/*.{ts,tsx}'],
    languageOptions: {
      parserOptions: {
        project: './services/gateway/web/tsconfig.json',
        tsconfigRootDir: import.meta.dirname,
      },
    },
  },
  {
    files: ['libs/contracts/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@nestjs/*', '@nats-io/*', '@eventstore/*', 'better-sqlite3', 'ssh2'],
              message: 'contracts may not import NestJS or vendor SDKs',
            },
          ],
        },
      ],
    },
  },
  ...services.map((name) => ({
    files: [`services/${name}/**/*.ts`],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: services.filter((s) => s !== name).map((s) => `@clocktower/${s}`),
              message: 'services never import each other: go through libs/contracts and the bus',
            },
          ],
        },
      ],
    },
  })),
  {
    files: ['**/*.spec.ts', '**/test/**/*.ts', '**/bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
);
