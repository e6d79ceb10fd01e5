// Electron's entry (package.json "main"): sizes libuv's thread pool, then loads the main process
// that electron-vite builds. CommonJS on purpose: Node's ESM loader starts the pool while
// loading, so only a CommonJS entry can size it first (bin/medtask.cjs says why).
'use strict';
process.env.UV_THREADPOOL_SIZE ??= '1';
const path = require('node:path');
const { pathToFileURL } = require('node:url');

import(pathToFileURL(path.join(__dirname, 'out', 'main', 'index.js')).href).catch((err) => {
  process.stderr.write(`${err && err.stack ? err.stack : String(err)}\n`);
  process.exit(1);
});
