// @ts-check
import eslint from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

export default defineConfig(
  { ignores: ['dist/', 'node_modules/', 'appPackage/build/', 'test-results/', '.data/'] },
  eslint.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        // Each file is checked with the nearest tsconfig: tsconfig.json (src, bench, scripts),
        // test/tsconfig.json (test), web/tabs/tsconfig.json (the tabs' browser code).
        projectService: { allowDefaultProject: ['vitest.config.mts'], defaultProject: 'test/tsconfig.json' },
        tsconfigRootDir: import.meta.dirname,
      },
    },
  },
  {
    rules: {
      // An async function without await is how this code meets promise-returning APIs (restify asserts that two-argument
      // handlers are AsyncFunctions; teams-ai handlers, storage ports and their fakes return promises), and a throw in one rejects.
      '@typescript-eslint/require-await': 'off',
      // `const { dropped: _dropped, ...rest } = value` leaves a property out of a copy; an `_unused` parameter keeps a callback's shape.
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true, argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      // vitest's asymmetric matchers (expect.any, expect.objectContaining, ...) are typed any and belong inside expected values.
      '@typescript-eslint/no-unsafe-assignment': 'off',
    },
  },
  { files: ['**/*.{js,mjs,cjs}'], extends: [tseslint.configs.disableTypeChecked] },
  prettier,
);
