// Lint rules for the whole tree: typescript-eslint recommended, plus the one-way imports between client/, server/ and runtime/.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const noVscode = { name: 'vscode', message: 'Only client/ (and the e2e suite that runs in the extension host) may import vscode.' };
const noClient = { group: ['**/client', '**/client/**'], message: 'client/ is the VS Code layer; nothing below it may import it.' };
const noServer = { group: ['**/server', '**/server/**'], message: 'server/ is its own process; share code through runtime/ns/catalog instead.' };
/** server/ may read the ns catalog (and nothing else of runtime/): the catalog is the one source of truth it shares. */
const onlyCatalogFromRuntime = {
  group: ['**/runtime/**', '!**/runtime/ns', '!**/runtime/ns/catalog', '!**/runtime/ns/catalog.js', '!**/runtime/ns/catalog.ts'],
  message: 'server/ may import only runtime/ns/catalog from runtime/.',
};

const restrict = (paths, patterns) => ({ 'no-restricted-imports': ['error', { paths, patterns }] });

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', 'test-results/**', '.vscode-test/**', 'bench/results/**', '**/*.d.ts', 'runtime/lua/wasm/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2022, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Emscripten's glue and luaparse's AST are untyped at the edges; `any` stays visible in review instead of failing lint.
      '@typescript-eslint/no-explicit-any': 'warn',
      'no-empty': ['error', { allowEmptyCatch: true }],
      // Protocol code matches raw bytes, control characters included.
      'no-control-regex': 'off',
    },
  },
  // Default for everything that is not client/, the e2e suite, runtime/ or server/: no vscode.
  { files: ['**/*.{ts,mjs,js,cjs}'], rules: restrict([noVscode], []) },
  { files: ['runtime/**/*.ts'], rules: restrict([noVscode], [noClient, noServer]) },
  { files: ['server/**/*.ts'], rules: restrict([noVscode], [noClient, onlyCatalogFromRuntime]) },
  { files: ['client/**/*.ts', 'test/e2e/suite/**/*.ts'], rules: { 'no-restricted-imports': 'off' } },
  // Test doubles sometimes hand `this` to callbacks they build.
  { files: ['test/**/*.ts'], rules: { '@typescript-eslint/no-this-alias': 'off' } },
  { files: ['**/*.cjs'], languageOptions: { sourceType: 'commonjs' } },
);
