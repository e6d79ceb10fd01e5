/**
 * Model downloads (issue 12, item 7) against real HTTP servers: cleartext http:// to another
 * machine is refused unless allowed, and a finished download that is not GGUF never stays in
 * the models folder (partial downloads keep their .ipull name until they finish).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkTransport } from '../../src/core/modelLibrary/download';
import { MedtaskCore } from '../../src/core/service';
import { dispatchCall } from '../../src/shared/dispatch';
import type { ApiErrorData } from '../../src/shared/errors';
import { serveFile } from '../library/fileServer';
import { tempDir } from '../helpers';

let dir: string;
let core: MedtaskCore;
let tries = 0;

beforeAll(() => {
  dir = tempDir('medtask-pull-sec-');
  core = new MedtaskCore({ home: path.join(dir, 'home'), fileAccess: { confine: true } });
});

afterAll(() => {
  core?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  console.log(`pullModel: ${tries} hostile downloads tried, none left a file in the models folder`);
});

const modelsDir = () => path.join(dir, 'home', 'models');
const ggufsLeft = () => (fs.existsSync(modelsDir()) ? fs.readdirSync(modelsDir()).filter((n) => n.endsWith('.gguf')) : []);

describe('pullModel', () => {
  it('refuses cleartext http:// to another machine unless allowInsecure, before connecting', async () => {
    for (const uri of ['http://example.com/m.gguf', 'http://10.0.0.7:8080/m.gguf', 'HTTP://models.internal/m.gguf', 'http://[fe80::1]/m.gguf']) {
      tries++;
      const started = Date.now();
      const res = await dispatchCall(core.handlers, 'pullModel', { uri, timeoutMs: 20_000 });
      expect(res.ok).toBe(false);
      const error = (res as { error: ApiErrorData }).error;
      expect(error).toMatchObject({ code: 'invalid_input', details: { reason: 'insecure_transport' } });
      expect(error.message).toMatch(/use https:\/\/, or allow it explicitly \(allowInsecure: true, CLI --allow-insecure\)/);
      expect(Date.now() - started).toBeLessThan(2000); // no connection was attempted
    }
    // Allowed explicitly, or on loopback, or over https: the transport check passes.
    expect(() => checkTransport('http://example.com/m.gguf', true)).not.toThrow();
    expect(() => checkTransport('http://127.0.0.1:9/m.gguf', false)).not.toThrow();
    expect(() => checkTransport('http://localhost:9/m.gguf', false)).not.toThrow();
    expect(() => checkTransport('https://example.com/m.gguf', false)).not.toThrow();
    expect(ggufsLeft()).toEqual([]);
  });

  it('deletes a finished download that is not GGUF, whatever its name', async () => {
    const fake = path.join(dir, 'not-a-model.bin');
    fs.writeFileSync(fake, `<html>${'x'.repeat(100_000)}</html>`);
    const server = await serveFile(fake);
    try {
      for (const name of ['evil.gguf', 'other-Q4_K_M.gguf']) {
        tries++;
        const res = await dispatchCall(core.handlers, 'pullModel', { uri: server.url(name), timeoutMs: 10_000 });
        expect(res.ok).toBe(false);
        const error = (res as { error: ApiErrorData }).error;
        expect(error).toMatchObject({ code: 'invalid_input', details: { problem: 'not_gguf' } });
        expect(error.message).toContain(`${name} is not a GGUF model`);
        expect(error.message).not.toContain('<html>');
      }
    } finally {
      await server.close();
    }
    expect(ggufsLeft()).toEqual([]);
    const list = await dispatchCall(core.handlers, 'listModels', {});
    expect((list as { value: { models: unknown[] } }).value.models).toEqual([]);
    if (process.platform !== 'win32') expect(fs.statSync(modelsDir()).mode & 0o777).toBe(0o700);
  });
});
