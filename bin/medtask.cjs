#!/usr/bin/env node
// Runs the bundled CLI; `npm install` builds it (prepare), `npm run build:node` rebuilds it.
//
// One libuv pool thread, set here, before anything else. node-llama-cpp runs each decode and
// each sampling step as a job on Node's libuv pool, on whichever pool thread is free, and
// llama.cpp's CPU backend (an OpenMP build) keeps one worker team per calling thread: with the
// default four pool threads consecutive decodes land on different teams, a sleeping team has to
// be woken while the last one still spins, and on a small machine they fight over the cores.
// Measured on 2 cores, 100M F16 model: 92 generated tokens/s with 4 pool threads, 127 with 1
// (llama-bench: 139–145). The cost: other pool work (file reads) waits behind a running decode,
// which slows an import only while a run generates at the same time. A value the user set is kept.
//
// CommonJS on purpose: Node's ESM loader already starts the pool while it loads the entry
// module, so an ESM entry could not size it any more (measured: the setting had no effect).
'use strict';
process.env.UV_THREADPOOL_SIZE ??= '1';
const { existsSync } = require('node:fs');
const path = require('node:path');
const { pathToFileURL } = require('node:url');

const entry = path.join(__dirname, '..', 'out', 'cli', 'index.js');
if (!existsSync(entry)) {
  process.stderr.write('medtask: the CLI is not built yet; run `npm run build` in the MedTask Studio folder\n');
  process.exit(1);
}
import(pathToFileURL(entry).href).catch((err) => {
  process.stderr.write(`${err && err.stack ? err.stack : String(err)}\n`);
  process.exit(1);
});
