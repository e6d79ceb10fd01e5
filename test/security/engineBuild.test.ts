/**
 * "Build for this CPU" over the web host: the build runs local tools only, so its calls take no input at
 * all; a path, URL, command or any other field is refused with 400 and no build starts. The core is
 * given a harmless stand-in command, so that even a wrongly accepted call could not start a real build.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MedtaskCore } from '../../src/core/service';
import { startWebHost, type WebHost } from '../../src/server/host';
import { tempDir } from '../helpers';

let core: MedtaskCore;
let host: WebHost;
let home: string;
let marker: string;

beforeAll(async () => {
  home = tempDir('medtask-sec-engine-');
  marker = path.join(home, 'build-ran');
  core = new MedtaskCore({ home, engineBuildCommand: [process.execPath, '-e', `require('fs').writeFileSync(${JSON.stringify(marker)}, 'x')`] });
  const staticDir = path.join(home, 'static');
  fs.mkdirSync(staticDir);
  fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>shell</title>');
  host = await startWebHost({ core, staticDir, port: 0 });
});

afterAll(async () => {
  await host.close();
  await core.dispose();
  fs.rmSync(home, { recursive: true, force: true });
});

async function post(name: string, body: unknown): Promise<{ status: number; body: { ok: boolean; error?: { code: string; message: string } } }> {
  const res = await fetch(`http://127.0.0.1:${host.port}/api/call/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${host.token}` },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as { ok: boolean; error?: { code: string; message: string } } };
}

describe('engine build calls take no input', () => {
  it('refuses a path, URL, command or any other field with 400, and starts nothing', async () => {
    const bodies = [
      { path: '/tmp/evil' },
      { url: 'https://example.invalid/llama.cpp.tar.gz' },
      { command: ['sh', '-c', 'touch /tmp/pwned'] },
      { force: true },
      { cmakeOptions: { CMAKE_C_COMPILER: '/tmp/cc' } },
    ];
    for (const name of ['buildEngine', 'cancelEngineBuild', 'engineInfo'])
      for (const body of bodies) {
        const res = await post(name, body);
        expect(res.status, `${name} ${JSON.stringify(body)}`).toBe(400);
        expect(res.body.error?.code).toBe('invalid_input');
        expect(res.body.error?.message).toMatch(/unrecognized|unknown/i);
      }
    const info = await post('engineInfo', {});
    expect(info.status).toBe(200);
    expect((info.body as unknown as { value: { build: unknown } }).value.build).toBeNull();
    await new Promise((r) => setTimeout(r, 200));
    expect(fs.existsSync(marker)).toBe(false);
  });
});
