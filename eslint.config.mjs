// @ts-check
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

export default tseslint.config(
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
  { files: ['**/*.{js,mjs,cjs}'], extends: [tseslint.configs.disableTypeChecked] },
  prettier,
);
