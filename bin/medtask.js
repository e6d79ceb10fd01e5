#!/usr/bin/env node
// Runs the bundled CLI; `npm install` builds it (prepare), `npm run build:node` rebuilds it.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../out/cli/index.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('medtask: the CLI is not built yet; run `npm run build` in the MedTask Studio folder\n');
  process.exit(1);
}
await import(entry.href);
