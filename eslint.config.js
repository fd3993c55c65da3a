// Typed ESLint for the whole workspace. Style is Prettier's job (`npm run lint` runs both).
import js from '@eslint/js';
import vitest from '@vitest/eslint-plugin';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      'dist/**',
      'coverage/**',
      '.pos-ga4/**',
      'schemas/**',
      'fixtures/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      globals: globals.node,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: 'tsconfig.json' })],
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-non-null-assertion': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      'max-params': ['error', 3],
      'import-x/no-cycle': 'error',
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@pos-ga4/*/src', '@pos-ga4/*/src/*'],
              message: 'Import the package, not its files.',
            },
            { group: ['ioredis-mock'], message: 'Tests use a real Redis.' },
          ],
        },
      ],
    },
  },
  {
    // the worker's delivery core is pure: its decisions are property-tested without I/O
    files: ['apps/worker/src/schedule/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@pos-ga4/*/src', '@pos-ga4/*/src/*'],
              message: 'Import the package, not its files.',
            },
            {
              group: [
                'bullmq',
                'ioredis',
                'undici',
                'node:*',
                '../shell/*',
                '../partition-consumer.js',
              ],
              message: 'The delivery core is pure: I/O belongs in schedule/shell/ and the loop.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.test.ts'],
    plugins: { vitest },
    rules: {
      ...vitest.configs.recommended.rules,
      'vitest/no-focused-tests': 'error',
      'vitest/no-disabled-tests': 'error',
      'vitest/expect-expect': 'error',
      // it.each tables pass one argument per column
      'max-params': 'off',
    },
  },
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
);
