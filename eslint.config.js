// One ESLint config for the whole repository (flat config, ESM). Layout is Prettier's job
// (.prettierrc.json); eslint-config-prettier, last, turns off every rule that would fight it.
// To add a package (e.g. apps/web with React), add a block with its `files`, plugins and
// globals (browser, not node) before the prettier entry. The TypeScript block below already
// covers its *.ts/*.tsx, and the project service types each file by its nearest tsconfig.json,
// so an apps/web/tsconfig.json (JSX, DOM lib) is picked up without a change here.
import { readFileSync } from 'node:fs';
import js from '@eslint/js';
import stylistic from '@stylistic/eslint-plugin';
import { defineConfig, globalIgnores } from 'eslint/config';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Prettier's printWidth, the one line width of the repository. */
const PRINT_WIDTH = JSON.parse(readFileSync(new URL('./.prettierrc.json', import.meta.url), 'utf8')).printWidth;

/** Files the type-aware rules read; today the root tsconfig.json includes all of them. */
const TS_FILES = ['apps/**/*.{ts,tsx}', 'libs/**/*.{ts,tsx}', 'test/**/*.ts', 'bench/**/*.ts'];

export default defineConfig(
  // apps/web/src/api/schema.d.ts is generated (npm run api:types) and compared byte for byte by a test.
  globalIgnores(['dist/', 'coverage/', '.run/', 'node_modules/', 'apps/web/src/api/schema.d.ts']),

  js.configs.recommended,
  {
    // Plain JS here is Node ESM tooling: jest.config.js, eslint.config.js, test/support/*.js.
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: { globals: globals.node },
  },

  {
    files: TS_FILES,
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      globals: globals.node,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // The two rules issue 13 names: a promise nobody awaits loses its error, and a promise
      // passed where a void callback is expected (an event handler, forEach) is never awaited.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      // `_`-prefixed names are deliberately unused (a parameter an interface requires, a
      // value left out of a rest spread); the rest of no-unused-vars stays an error.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // Off: Nest makes many methods return a Promise by signature (lifecycle hooks, guards,
      // ThrottlerGuard.getTracker, queue job handlers); `async` is the plain way to write one
      // that happens not to await. The harm the rule aims at, a promise nobody waits for, is
      // no-floating-promises' job.
      '@typescript-eslint/require-await': 'off',
      // Off for now: the code is written as if tsconfig had noUncheckedIndexedAccess (`rows[0]!`
      // on every index), which it has not yet, so this rule calls ~185 of those `!` redundant and
      // its --fix would strip them. Once tsconfig.json turns noUncheckedIndexedAccess on, turn
      // this rule back on: it then reports only assertions that are redundant for real.
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
      // Fixture text in template literals is Chinese office documents, indented with U+3000
      // (ideographic space) as such documents are; strings were already skipped by default.
      'no-irregular-whitespace': ['error', { skipStrings: true, skipTemplates: true }],
    },
  },

  {
    // In tests, `any` is the shape of what is being checked: supertest's `res.body`, rows read
    // back with db.query, definitions deliberately malformed. expect() is the check there, and
    // declaring a type for every response would only restate the assertion beside it.
    files: ['test/**/*.ts', '**/*.spec.ts', '**/*.e2e-spec.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },

  {
    // Issue 13: no function in apps/ or libs/ longer than 80 lines, blank lines and comments
    // included. Migrations are exempt: each is one long, ordered list of SQL statements.
    // Spec files are not: the issue says every function, a test body over 80 lines is too long
    // to read as well, and a describe block over 80 lines splits by topic without loss.
    files: ['apps/**/*.{ts,tsx}', 'libs/**/*.{ts,tsx}'],
    ignores: ['libs/db/src/migrations/**'],
    rules: {
      'max-lines-per-function': ['error', { max: 80, skipBlankLines: false, skipComments: false, IIFEs: true }],
    },
  },

  {
    // The console (apps/web) runs in the browser; its tsconfig.json (DOM lib, react-jsx) types it.
    files: ['apps/web/**/*.{ts,tsx}'],
    languageOptions: { globals: globals.browser },
  },

  prettier,

  {
    // Issue 13: no line over the configured width. Prettier wraps code to printWidth but leaves
    // strings, template literals (SQL) and comments as they are written: this rule catches those.
    // It comes after eslint-config-prettier, which would otherwise turn it off. It counts
    // characters; Prettier counts a CJK character as two columns when it decides where to wrap.
    plugins: { '@stylistic': stylistic },
    rules: { '@stylistic/max-len': ['error', { code: PRINT_WIDTH, tabWidth: 2, ignoreUrls: true }] },
  },
);
