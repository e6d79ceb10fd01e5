// Runs a TypeScript script of this repo under plain Node 20 (see run-ts-impl.mjs).
// CommonJS on purpose: it sizes libuv's thread pool before Node's ESM loader starts it
// (bin/medtask.cjs says why). Usage: node scripts/run-ts.cjs FILE.ts [args...]
'use strict';
process.env.UV_THREADPOOL_SIZE ??= '1';
const path = require('node:path');
const { pathToFileURL } = require('node:url');

import(pathToFileURL(path.join(__dirname, 'run-ts-impl.mjs')).href).catch((err) => {
  process.stderr.write(`${err && err.stack ? err.stack : String(err)}\n`);
  process.exit(1);
});
