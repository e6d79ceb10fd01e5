/**
 * The layer rules as an allowlist, the way VS Code's code-layering rule states them: each layer
 * names what it may import, and anything else is an error. Node builtins count however they are
 * written (`fs` as well as `node:fs`); relative imports count by the layer of the file they reach.
 *
 *   shared  <- core/db <- core <- server, cli, main     shared <- preload     shared <- renderer
 */
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const BUILTINS = new Set(builtinModules.filter((m) => !m.startsWith('_')));

const ANY_PACKAGE_BUT_ELECTRON = { except: ['electron'] };

/**
 * Most specific folder first. `layers`: folders whose files may be imported; `packages`: a list,
 * or every package but some; `node`: whether Node builtins may be imported.
 */
export const LAYERS = [
  {
    name: 'core/db',
    dir: 'src/core/db',
    why: 'the database sits below everything else in core: it opens and migrates, and imports nothing else from core',
    layers: ['core/db', 'shared'],
    packages: ANY_PACKAGE_BUT_ELECTRON,
    node: true,
  },
  {
    name: 'shared',
    dir: 'src/shared',
    why: 'src/shared is the contract, pure TypeScript importable everywhere: zod only',
    layers: ['shared'],
    packages: ['zod'],
    node: false,
  },
  {
    name: 'renderer',
    dir: 'src/renderer',
    why: 'the renderer talks only to src/shared (the contract) and its UI libraries; never to core, the hosts, Node or Electron',
    layers: ['renderer', 'shared'],
    packages: ['react', 'react-dom', 'zustand', '@tanstack/react-virtual', '@monaco-editor/react', 'monaco-editor', 'echarts'],
    node: false,
  },
  {
    name: 'core',
    dir: 'src/core',
    why: 'src/core is the engine in plain Node: no Electron, no hosts, no UI',
    layers: ['core', 'core/db', 'shared'],
    packages: ANY_PACKAGE_BUT_ELECTRON,
    node: true,
  },
  {
    name: 'server',
    dir: 'src/server',
    why: 'the web host serves the contract under plain Node: no Electron, no UI, no other host',
    layers: ['server', 'core', 'core/db', 'shared'],
    packages: ANY_PACKAGE_BUT_ELECTRON,
    node: true,
  },
  {
    name: 'cli',
    dir: 'src/cli',
    why: 'the CLI runs under plain Node (its `serve` starts the web host): no Electron, no UI',
    layers: ['cli', 'server', 'core', 'core/db', 'shared'],
    packages: ANY_PACKAGE_BUT_ELECTRON,
    node: true,
  },
  {
    name: 'main',
    dir: 'src/main',
    why: 'the Electron host serves the contract over IPC; it never imports UI, the web host or the CLI',
    layers: ['main', 'core', 'core/db', 'shared'],
    packages: { except: [] },
    node: true,
  },
  {
    name: 'preload',
    dir: 'src/preload',
    why: 'the preload only bridges the contract: Electron and src/shared',
    layers: ['preload', 'shared'],
    packages: ['electron'],
    node: false,
  },
];

/**
 * Imports that break a rule today and are known: each waits for the change that removes it.
 * Keys are repository-relative importing files; values, repository-relative imported files.
 */
export const KNOWN_EXCEPTIONS = {};

function layerOf(file) {
  const rel = path.relative(ROOT, file).split(path.sep).join('/');
  return LAYERS.find((l) => rel === l.dir || rel.startsWith(`${l.dir}/`));
}

/** `@scope/name/sub` -> `@scope/name`; `name/sub?worker` -> `name`. */
function packageName(spec) {
  const parts = spec.split('?')[0].split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function packageAllowed(rule, name) {
  return Array.isArray(rule.packages) ? rule.packages.includes(name) : !rule.packages.except.includes(name);
}

function withExtension(rel) {
  // Specifiers leave out the extension (or name a folder's index): match a known exception either way.
  return [rel, `${rel}.ts`, `${rel}.tsx`, `${rel}/index.ts`];
}

function problem(file, spec) {
  const rule = layerOf(file);
  if (!rule) return null;
  if (spec.startsWith('.') || spec.startsWith('/')) {
    const target = path.resolve(path.dirname(file), spec.split('?')[0]);
    const to = layerOf(target);
    if (to && rule.layers.includes(to.name)) return null;
    const relFile = path.relative(ROOT, file).split(path.sep).join('/');
    const relTarget = path.relative(ROOT, target).split(path.sep).join('/');
    if (KNOWN_EXCEPTIONS[relFile]?.some((t) => withExtension(relTarget).includes(t))) return null;
    return `${rule.name} may not import ${to ? to.name : relTarget}: ${rule.why}`;
  }
  const bare = spec.startsWith('node:') ? spec.slice(5) : spec;
  if (spec.startsWith('node:') || BUILTINS.has(bare.split('/')[0])) {
    return rule.node ? null : `${rule.name} may not import the Node builtin "${spec}": ${rule.why}`;
  }
  const name = packageName(spec);
  return packageAllowed(rule, name) ? null : `${rule.name} may not import the package "${name}": ${rule.why}`;
}

const importsAllowed = {
  meta: {
    type: 'problem',
    docs: { description: 'Each layer imports only what its allowlist names (lint/layers.js).' },
    schema: [],
  },
  create(context) {
    const file = context.filename;
    const check = (node, source) => {
      if (!source || typeof source.value !== 'string') return;
      const message = problem(file, source.value);
      if (message) context.report({ node: source, message });
    };
    return {
      ImportDeclaration: (node) => check(node, node.source),
      ExportNamedDeclaration: (node) => check(node, node.source),
      ExportAllDeclaration: (node) => check(node, node.source),
      ImportExpression: (node) => check(node, node.source.type === 'Literal' ? node.source : null),
      TSImportEqualsDeclaration: (node) => check(node, node.moduleReference.type === 'TSExternalModuleReference' ? node.moduleReference.expression : null),
      CallExpression: (node) => {
        if (node.callee.type === 'Identifier' && node.callee.name === 'require' && node.arguments[0]?.type === 'Literal') check(node, node.arguments[0]);
      },
    };
  },
};

export const layersPlugin = { rules: { 'imports-allowed': importsAllowed } };
