// ESLint flat config, run by `npm run lint` as `eslint -c .eslint.config.js .` (the top level holds
// only package.json, tsconfig.json and dotfiles besides the folders, hence the leading dot).
// Layout is Prettier's job (.prettierrc.json): no rule here is about formatting.
//
// TypeScript gets typescript-eslint's recommended type-checked rules, typed by the nearest
// tsconfig.json (src/ by the root one; test/, test/bench/ and test/fuzz/ by their own).
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  {
    ignores: [
      'dist/',
      'coverage/',
      'docs/',
      '.bench/',
      // Data (certificates, vectors) and the build output of the Next.js fixture apps.
      'test/fixtures/',
      'test/runtimes/fixtures/next/**/.next/',
      'test/runtimes/fixtures/next/**/next-env.d.ts',
    ],
  },
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },
  {
    files: ['**/*.{ts,mts,cts}'],
    extends: [js.configs.recommended, tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      eqeqeq: ['error', 'always'],
      // A closure may read a `let` before its single assignment (a value that arrives later).
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        // `_name` marks a parameter a signature requires but the body does not use.
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      '@typescript-eslint/no-floating-promises': [
        'error',
        // node:test's test() and describe() return promises the runner itself awaits.
        {
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite', 'before', 'after'] },
          ],
        },
      ],
      // Forwarding a rejection received from elsewhere (an inner promise's, an AbortSignal's reason)
      // is not inventing a non-Error one: only a literal non-Error reason is reported.
      '@typescript-eslint/prefer-promise-reject-errors': [
        'error',
        { allowThrowingAny: true, allowThrowingUnknown: true },
      ],
      // `async` without `await` is deliberate here: it turns a synchronous throw into a rejection
      // and fits promise-returning interfaces (stores, handlers, onRefund callbacks).
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // Tests drive several framework majors through one deliberately `any`-typed handle and read
    // JSON they just produced; the no-unsafe-* family would flag each use of it. src/ keeps them.
    // They also hand Koa's app.callback() (a listener that returns a promise and catches its own
    // errors) to http.createServer, and pass the library's detachable methods around.
    files: ['test/**/*.{ts,mts,cts}'],
    rules: {
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    // The examples import the package by name, which resolves to dist/ only after a build: they are
    // linted without type information so that `npm run lint` needs no build.
    files: ['examples/**/*.ts'],
    extends: [tseslint.configs.disableTypeChecked],
    // `import x = require('x')` is how a .d.ts re-exports an `export =` module's types.
    rules: { '@typescript-eslint/no-require-imports': ['error', { allowAsImport: true }] },
  },
  {
    files: ['**/*.{js,mjs,cjs}'],
    extends: [js.configs.recommended],
    languageOptions: { globals: globals.node },
  },
  {
    // The runtime fixture apps run under Bun, Deno and workerd.
    files: ['test/runtimes/fixtures/**/*.{js,mjs}'],
    languageOptions: { globals: { ...globals.node, ...globals.worker, Bun: 'readonly', Deno: 'readonly' } },
  },
);
