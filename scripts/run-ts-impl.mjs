// Runs a TypeScript script of this repo under plain Node 20: bundles it with esbuild
// (npm packages stay external, so native modules load from node_modules) and imports it.
// Usage: node scripts/run-ts.cjs scripts/bench/import.ts [args...] (the launcher sizes libuv's pool first)
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error('usage: node scripts/run-ts.cjs FILE.ts [args...]');
  process.exit(2);
}
const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const outDir = path.resolve('out/scripts');
mkdirSync(outDir, { recursive: true });
const outfile = path.join(outDir, `${path.basename(entry, '.ts')}.mjs`);
await build({
  entryPoints: [entry],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: 'inline',
  define: { __APP_VERSION__: JSON.stringify(version) },
  logLevel: 'warning',
});
process.argv = [process.argv[0], outfile, ...args];
await import(pathToFileURL(outfile).href);
