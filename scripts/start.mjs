// `npm start`: the desktop app when Electron's binary is installed; otherwise (e.g. an
// offline install with ELECTRON_SKIP_BINARY_DOWNLOAD=1) the same UI in the browser.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

function electronBinary() {
  try {
    const bin = require('electron'); // the package exports the binary's path
    return typeof bin === 'string' && existsSync(bin) ? bin : null;
  } catch {
    return null;
  }
}

function run(cmd, args) {
  const child = spawn(cmd, args, { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
}

const extra = process.argv.slice(2);
if (!existsSync('out/main/index.js') || !existsSync('out/cli/index.js')) {
  console.error('MedTask Studio is not built yet: run `npm run build` first.');
  process.exit(1);
}
const electron = electronBinary();
if (electron) {
  run(electron, ['.', ...extra]);
} else {
  console.error("Electron's binary is not installed (ELECTRON_SKIP_BINARY_DOWNLOAD=1 or no network), so MedTask Studio opens in your browser instead.");
  run(process.execPath, ['bin/medtask.cjs', 'serve', ...extra]);
}
