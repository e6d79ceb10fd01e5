// `npm run dist [-- --prebuilt-engine] [-- electron-builder flags]`: installers for this machine's OS, on a
// machine with network access. Builds the portable CPU engine (Linux, scripts/build-engine-portable.mjs;
// ~10 minutes on 2 cores, cached), the app, then electron-builder (electron-builder.yml) fetches Electron,
// rebuilds native modules for Electron's ABI, ships only this platform's llama.cpp binaries and
// flips the release fuses (scripts/afterPack.cjs). The rebuild happens in node_modules itself, so
// afterwards Node's own build of better-sqlite3 is restored for the CLI, web host and tests.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildPortableEngine, cpuBuildFolder, nodeLlamaCppPaths, shippedEngineProblems } from './build-engine-portable.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// Not a dependency: fetched by npx on the packaging machine (offline installs never need it).
const ELECTRON_BUILDER = 'electron-builder@26';

function run(command, args, env = process.env) {
  console.log(`> ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env, shell: process.platform === 'win32' });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`${command} ${args[0] ?? ''} failed with exit code ${result.status}`);
}

/** node-llama-cpp names its binary packages `<os>-<arch>[-gpu]`, with electron-builder's `${os}` names. */
function checkLlamaBinaries() {
  const os = { darwin: 'mac', win32: 'win', linux: 'linux' }[process.platform];
  const dir = path.join(root, 'node_modules', '@node-llama-cpp');
  const found = existsSync(dir) ? readdirSync(dir).filter((name) => name.startsWith(`${os}-${process.arch}`)) : [];
  if (found.length === 0) {
    throw new Error(
      `no node-llama-cpp binaries for ${os}-${process.arch} in node_modules/@node-llama-cpp: run \`npm ci\` on this OS (installers are built on the OS they are for)`,
    );
  }
  console.log(`node-llama-cpp binaries to ship: ${found.join(', ')}`);
}

/**
 * The CPU engine the installer ships. On Linux (where it was measured: the prebuilt ran prompts at
 * 53% of llama-bench, this build at 100-103%) the portable build from source; elsewhere, or with
 * --prebuilt-engine, node-llama-cpp's prebuilt. Either way no build made for this machine's own CPU
 * (`medtask engine build`, GGML_NATIVE) goes out: it can crash on an older CPU.
 */
function prepareEngine(prebuiltOnly) {
  const { llamaDir } = nodeLlamaCppPaths();
  const folder = cpuBuildFolder(llamaDir);
  // On Linux a build for this machine's CPU in that folder is replaced by the portable one.
  if (!prebuiltOnly && process.platform === 'linux') buildPortableEngine();
  const { builds, problems } = shippedEngineProblems(path.dirname(folder), path.basename(folder), { prebuiltOnly });
  if (problems.length) throw new Error(`node_modules/node-llama-cpp/llama/${problems.join('; ')}`);
  for (const { name, build } of builds) console.log(`engine to ship: portable build from source, ${build.variants.length} CPU variants (${name})`);
  if (builds.length === 0) console.log('engine to ship: node-llama-cpp prebuilt');
}

const prebuiltOnly = process.argv.includes('--prebuilt-engine');
const builderArgs = process.argv.slice(2).filter((a) => a !== '--prebuilt-engine');
if (builderArgs.some((a) => ['--mac', '-m', '--win', '-w', '--linux', '-l'].includes(a))) {
  console.warn("note: native modules come from this machine's node_modules; build each OS's installer on that OS");
}

checkLlamaBinaries();
prepareEngine(prebuiltOnly);
run('npm', ['run', 'build']);
let failed = null;
try {
  run('npx', ['--yes', ELECTRON_BUILDER, '--config', 'electron-builder.yml', '--publish', 'never', ...builderArgs]);
} catch (err) {
  failed = err;
} finally {
  // electron-builder rebuilt better-sqlite3 for Electron in place; give plain Node its build back.
  run('npm', ['rebuild', 'better-sqlite3']);
}
if (failed) {
  console.error(String(failed.message ?? failed));
  process.exit(1);
}
console.log(`installers written to ${path.join(root, 'dist')}`);
