// Bundles the Node-side entry points that electron-vite does not build: the `medtask` CLI
// (which also carries the web host) and the inference engine's child process, which every host
// starts from out/inference/engineChild.js. npm packages stay external so native modules load
// from node_modules with Node's own ABI.
import { readFileSync } from 'node:fs';
import { build } from 'esbuild';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

await build({
  entryPoints: { 'cli/index': 'src/cli/entry.ts', 'inference/engineChild': 'src/core/inference/child/engineChild.ts' },
  outdir: 'out',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  define: { __APP_VERSION__: JSON.stringify(version) },
  logLevel: 'warning',
});
