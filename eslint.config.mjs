// Type-aware lint: a floating or misused promise is an error (a lost Redis write is a lost move).
// The server (src, test, bench) and the browser client (web/src) get the same rules; each file is
// typed by its nearest tsconfig.json, so web/src sees the browser's globals (web/tsconfig.json:
// DOM lib, no Node types) and the server sees Node's. Undefined globals are tsc's errors
// (typescript-eslint turns no-undef off for TypeScript), and `npm run typecheck` runs both.
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

export default tseslint.config(
  {
    // Only TypeScript is linted: the .mjs scripts are outside every tsconfig.
    ignores: ['dist/**', 'node_modules/**', 'coverage/**', '**/*.mjs', 'web/public/**'],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  prettier,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    files: ['test/**/*.ts', 'src/**/*.spec.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
);
