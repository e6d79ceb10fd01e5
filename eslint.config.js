// Layer rules (VS Code style): lower layers never import higher ones.
//   shared  <- core <- server, cli, main   ;   shared <- preload ;   shared <- renderer
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const layer = (name) => [`**/${name}`, `**/${name}/**`, `@/${name}/**`];

function forbid(message, ...patterns) {
  return { 'no-restricted-imports': ['error', { patterns: [{ group: patterns.flat(), message }] }] };
}

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The launchers are CommonJS on purpose (bin/medtask.cjs says why).
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['src/renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: forbid(
      'the renderer talks only to src/shared (the contract); never to core, main, server, cli, Node or Electron',
      layer('core'),
      layer('main'),
      layer('server'),
      layer('cli'),
      layer('preload'),
      ['electron', 'node:*', 'better-sqlite3', 'node-llama-cpp'],
    ),
  },
  {
    files: ['src/shared/**'],
    rules: forbid(
      'src/shared is pure TypeScript importable everywhere: no engine, host, Node or Electron imports',
      layer('core'),
      layer('main'),
      layer('server'),
      layer('cli'),
      layer('renderer'),
      layer('preload'),
      ['electron', 'node:*'],
    ),
  },
  {
    files: ['src/core/**'],
    rules: forbid('src/core is plain Node: no Electron, no hosts, no UI', layer('main'), layer('server'), layer('cli'), layer('renderer'), layer('preload'), ['electron']),
  },
  {
    files: ['src/server/**', 'src/cli/**'],
    rules: forbid('the web host and CLI run under plain Node: no Electron, no UI code', layer('main'), layer('renderer'), layer('preload'), ['electron']),
  },
  {
    files: ['src/main/**'],
    rules: forbid('the Electron host serves the contract; it never imports UI, the web host or the CLI', layer('renderer'), layer('server'), layer('cli'), layer('preload')),
  },
  {
    files: ['src/preload/**'],
    rules: forbid('the preload only bridges the contract', layer('core'), layer('main'), layer('server'), layer('cli'), layer('renderer')),
  },
);
