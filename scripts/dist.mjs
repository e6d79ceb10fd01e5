// `npm run dist [-- electron-builder flags]`: installers for this machine's OS, on a machine with
// network access. Builds the app, then electron-builder (electron-builder.yml) fetches Electron,
// rebuilds native modules for Electron's ABI, ships only this platform's llama.cpp binaries and
// flips the release fuses (scripts/afterPack.cjs). The rebuild happens in node_modules itself, so
// afterwards Node's own build of better-sqlite3 is restored for the CLI, web host and tests.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

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

const builderArgs = process.argv.slice(2);
if (builderArgs.some((a) => ['--mac', '-m', '--win', '-w', '--linux', '-l'].includes(a))) {
  console.warn("note: native modules come from this machine's node_modules; build each OS's installer on that OS");
}

checkLlamaBinaries();
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
