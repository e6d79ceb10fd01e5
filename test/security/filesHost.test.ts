/**
 * Path confinement through the real web host, as a page would reach it: a confined core (as
 * `medtask serve` makes one) behind startWebHost, every file-facing call sent over HTTP with the
 * token. Refusals are HTTP 400 with the reason; nothing outside the allowed folders is read or
 * written. Attempts print.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MedtaskCore } from '../../src/core/service';
import { startWebHost, type WebHost } from '../../src/server/host';
import { REPO, tempDir } from '../helpers';

let home: string;
let allowed: string;
let staticDir: string;
let core: MedtaskCore;
let host: WebHost;
let runId: number;
let refusals = 0;
let accepted = 0;

async function post(
  name: string,
  input: unknown,
): Promise<{ status: number; body: { ok: boolean; value?: unknown; error?: { code: string; message: string; details?: Record<string, unknown> } } }> {
  const res = await fetch(`http://127.0.0.1:${host.port}/api/call/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${host.token}` },
    body: JSON.stringify(input),
  });
  return { status: res.status, body: (await res.json()) as never };
}

async function refused(name: string, input: unknown, reason = 'outside_allowed_folders') {
  const res = await post(name, input);
  expect(res.status, `${name} ${JSON.stringify(input)}: ${JSON.stringify(res.body)}`).toBe(400);
  expect(res.body.error?.details?.reason).toBe(reason);
  refusals++;
}

beforeAll(async () => {
  home = tempDir('medtask-fhost-');
  allowed = tempDir('medtask-fhost-allowed-');
  staticDir = tempDir('medtask-fhost-static-');
  fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>shell</title>');
  fs.writeFileSync(path.join(allowed, 'preds.json'), JSON.stringify({ QA: { 'PubMedQA-labeled': { generated: [{ prediction: 'yes', target: 'yes' }] } } }));
  // The user's home is a temporary folder here, so that the repository and /etc lie outside every root.
  core = new MedtaskCore({ home, fileAccess: { confine: true, allowDirs: [allowed], userHome: tempDir('medtask-fhost-user-') } });
  host = await startWebHost({ core, staticDir, port: 0 });
  const run = await post('importPredictions', { file: path.join(allowed, 'preds.json') });
  expect(run.status).toBe(200);
  runId = (run.body.value as { id: number }).id;
});

afterAll(async () => {
  await host?.close();
  core?.close();
  for (const d of [home, allowed, staticDir]) if (d) fs.rmSync(d, { recursive: true, force: true });
  console.log(`path confinement over HTTP: ${refusals + accepted} calls, ${refusals} refused with 400, ${accepted} allowed`);
});

describe('file-facing calls through the web host', () => {
  it('refuses reads outside the allowed folders', async () => {
    for (const p of ['/', '/etc', REPO, `${allowed}/..`]) await refused('listDirectory', { path: p });
    for (const p of ['/etc/passwd', path.join(REPO, 'package.json'), `${allowed}/../../etc/passwd`]) {
      await refused('previewImport', { paths: [p] });
      await refused('importPaths', { paths: [p] });
      await refused('importPredictions', { file: p });
      await refused('inspectModel', { path: p });
      await refused('addModels', { paths: [p] });
      await refused('loadModel', { path: p, loadId: 'x' });
      await refused('generate', { model: p, prompt: 'hi' });
    }
    const listing = await post('listDirectory', { path: allowed });
    expect(listing.status).toBe(200);
    accepted++;
  });

  it('writes exports only into <data dir>/exports and --allow-dir folders, never over a file unasked', async () => {
    for (const out of [path.join(REPO, 'x.csv'), '/etc/x.csv', '../library.sqlite', path.join(home, 'x.csv')]) {
      await refused('exportRun', { runId, format: 'items-csv', out, overwrite: true });
    }
    expect(fs.existsSync(path.join(REPO, 'x.csv'))).toBe(false);
    const first = await post('exportRun', { runId, format: 'items-csv', out: 'host-run.csv' });
    expect(first.status).toBe(200);
    expect((first.body.value as { file: string }).file).toBe(path.join(home, 'exports', 'host-run.csv'));
    await refused('exportRun', { runId, format: 'items-csv', out: 'host-run.csv' }, 'exists');
    const again = await post('exportRun', { runId, format: 'items-csv', out: 'host-run.csv', overwrite: true });
    expect(again.status).toBe(200);
    const there = await post('exportRun', { runId, format: 'items-csv', out: path.join(allowed, 'run.csv') });
    expect(there.status).toBe(200);
    accepted += 3;
  });
});
