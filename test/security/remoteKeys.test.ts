/**
 * Remote API keys (issue 12, item 7), against real HTTP servers on loopback: in a confined host
 * (browser, Electron) a run may name only a key variable bound to its base URL, the key reaches
 * only that server (not another one, not through a redirect), and the CLI keeps naming any
 * variable it likes. Attempts print.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEY_REGISTRY_FILE, resolveApiKey } from '../../src/core/inference/remote/keys';
import { remoteGenerator } from '../../src/core/runs/remoteGenerator';
import { MedtaskCore } from '../../src/core/service';
import { dispatchCall } from '../../src/shared/dispatch';
import type { ApiErrorData } from '../../src/shared/errors';
import { tempDir } from '../helpers';

interface Seen {
  url: string;
  authorization: string | undefined;
}

/** An OpenAI-compatible stand-in that records what reaches it; `redirectTo` answers every request with a 307 there. */
async function server(redirectTo?: string): Promise<{ base: string; seen: Seen[]; close(): Promise<void> }> {
  const seen: Seen[] = [];
  const s = http.createServer((req, res) => {
    seen.push({ url: req.url ?? '', authorization: req.headers.authorization });
    if (redirectTo) {
      res.writeHead(307, { location: `${redirectTo}${req.url ?? ''}` });
      return void res.end();
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ data: [{ id: 'stub-model' }] }));
  });
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(s.address() as AddressInfo).port}/v1`;
  return { base, seen, close: () => new Promise((r) => s.close(() => r())) };
}

const SECRET = 'sk-medtask-test-9c1e';
let good: Awaited<ReturnType<typeof server>>;
let attacker: Awaited<ReturnType<typeof server>>;
let redirector: Awaited<ReturnType<typeof server>>;
let home: string;
let core: MedtaskCore;
let tries = 0;
let refusals = 0;

beforeAll(async () => {
  good = await server();
  attacker = await server();
  redirector = await server(attacker.base.replace(/\/v1$/, ''));
  home = tempDir('medtask-keys-');
  core = new MedtaskCore({ home, fileAccess: { confine: true } });
});

afterAll(async () => {
  core?.close();
  await Promise.all([good?.close(), attacker?.close(), redirector?.close()]);
  if (home) fs.rmSync(home, { recursive: true, force: true });
  console.log(
    `remote keys: ${tries} attempts, ${refusals} refused; the attacker's server saw ${attacker.seen.length} requests, ${attacker.seen.filter((s) => s.authorization).length} with a key`,
  );
});

function remoteRun(baseUrl: string, apiKeyEnv: string) {
  return {
    model: { kind: 'remote', baseUrl, model: 'stub-model', apiKeyEnv },
    template: { strategy: 'zero-shot' },
    decoding: { maxTokens: 4, temperature: 0 },
    selection: { taskIds: [1] },
  };
}

async function refusedRun(baseUrl: string, apiKeyEnv: string, message: RegExp) {
  tries++;
  const res = await dispatchCall(core.handlers, 'createRun', remoteRun(baseUrl, apiKeyEnv));
  expect(res.ok).toBe(false);
  const error = (res as { error: ApiErrorData }).error;
  expect(error).toMatchObject({ code: 'invalid_input', details: { field: 'model.apiKeyEnv' } });
  expect(error.message).toMatch(message);
  expect(error.message).not.toContain(SECRET);
  refusals++;
}

/** Runs the generator's connection check (GET /v1/models), which carries the key. */
async function touch(baseUrl: string, apiKeyEnv: string, env: NodeJS.ProcessEnv, confine = true) {
  tries++;
  const gen = remoteGenerator({ kind: 'remote', baseUrl, model: 'stub-model', apiKeyEnv }, { env, home, confine });
  return gen.describe();
}

describe('remote API key variables in a confined host', () => {
  it('refuses variables outside the documented pattern, before any run exists or any request leaves', async () => {
    process.env.MEDTASK_FA_UNRELATED_SECRET = SECRET;
    process.env.AWS_SECRET_ACCESS_KEY_FA_TEST = SECRET;
    try {
      for (const name of ['MEDTASK_FA_UNRELATED_SECRET', 'AWS_SECRET_ACCESS_KEY_FA_TEST', 'HOME', 'PATH', 'MEDTASK_HOME', 'OPENAI_API_KEY_X']) {
        await refusedRun(attacker.base, name, /may not be used: name it MEDTASK_<NAME>_API_KEY/);
      }
    } finally {
      delete process.env.MEDTASK_FA_UNRELATED_SECRET;
      delete process.env.AWS_SECRET_ACCESS_KEY_FA_TEST;
    }
    expect(attacker.seen).toEqual([]);
    const runs = await dispatchCall(core.handlers, 'listRuns', {});
    expect(runs).toEqual({ ok: true, value: [] });
  });

  it('sends MEDTASK_<NAME>_API_KEY only to MEDTASK_<NAME>_BASE_URL', async () => {
    process.env.MEDTASK_FATEST_API_KEY = SECRET;
    try {
      await refusedRun(good.base, 'MEDTASK_FATEST_API_KEY', /not bound to a server: set MEDTASK_FATEST_BASE_URL/);
      process.env.MEDTASK_FATEST_BASE_URL = good.base;
      await refusedRun(attacker.base, 'MEDTASK_FATEST_API_KEY', /only sent to .* \(from MEDTASK_FATEST_BASE_URL\), not to/);
      // Same host, another path or port: another endpoint.
      await refusedRun(good.base.replace('/v1', '/other/v1'), 'MEDTASK_FATEST_API_KEY', /only sent to/);
      await refusedRun(
        good.base.replace(/:(\d+)/, (_, p: string) => `:${Number(p) + 1}`),
        'MEDTASK_FATEST_API_KEY',
        /only sent to/,
      );
      await refusedRun(good.base.replace('http:', 'https:'), 'MEDTASK_FATEST_API_KEY', /only sent to/);
      // The bound one: "/v1" or not, trailing slash or not, is the same endpoint.
      for (const base of [good.base, good.base.replace(/\/v1$/, ''), `${good.base}/`]) {
        expect(resolveApiKey({ baseUrl: base, apiKeyEnv: 'MEDTASK_FATEST_API_KEY' }, { env: process.env, home })).toBe(SECRET);
        tries++;
      }
      await touch(good.base, 'MEDTASK_FATEST_API_KEY', process.env);
      expect(good.seen.at(-1)).toEqual({ url: '/v1/models', authorization: `Bearer ${SECRET}` });
      // A server that redirects: the key is not carried to where it points.
      process.env.MEDTASK_FATEST_BASE_URL = redirector.base;
      const before = attacker.seen.length;
      const described = await touch(redirector.base, 'MEDTASK_FATEST_API_KEY', process.env);
      expect(redirector.seen.length).toBeGreaterThan(0);
      expect(described.serverModels).toBeNull(); // the redirect was an error, not followed
      expect(attacker.seen.length).toBe(before);
    } finally {
      delete process.env.MEDTASK_FATEST_API_KEY;
      delete process.env.MEDTASK_FATEST_BASE_URL;
    }
    expect(attacker.seen.filter((s) => s.authorization)).toEqual([]);
  });

  it('binds OPENAI_API_KEY to OPENAI_BASE_URL or api.openai.com', async () => {
    const env = { OPENAI_API_KEY: SECRET };
    expect(() => resolveApiKey({ baseUrl: attacker.base, apiKeyEnv: 'OPENAI_API_KEY' }, { env })).toThrow(/only sent to https:\/\/api\.openai\.com\/v1/);
    expect(resolveApiKey({ baseUrl: 'https://api.openai.com/v1', apiKeyEnv: 'OPENAI_API_KEY' }, { env })).toBe(SECRET);
    expect(resolveApiKey({ baseUrl: good.base, apiKeyEnv: 'OPENAI_API_KEY' }, { env: { ...env, OPENAI_BASE_URL: good.base } })).toBe(SECRET);
    tries += 3;
    refusals += 1;
  });

  it('takes other names from remote-keys.json in the data directory, each with its base URL', async () => {
    fs.writeFileSync(path.join(home, KEY_REGISTRY_FILE), JSON.stringify({ TOGETHER_FA_KEY: good.base }));
    const env = { TOGETHER_FA_KEY: SECRET };
    expect(resolveApiKey({ baseUrl: good.base, apiKeyEnv: 'TOGETHER_FA_KEY' }, { env, home })).toBe(SECRET);
    expect(() => resolveApiKey({ baseUrl: attacker.base, apiKeyEnv: 'TOGETHER_FA_KEY' }, { env, home })).toThrow(/only sent to .* \(from remote-keys\.json\)/);
    fs.writeFileSync(path.join(home, KEY_REGISTRY_FILE), '{ not json');
    expect(() => resolveApiKey({ baseUrl: good.base, apiKeyEnv: 'TOGETHER_FA_KEY' }, { env, home })).toThrow(/remote-keys\.json: not valid JSON/);
    fs.rmSync(path.join(home, KEY_REGISTRY_FILE));
    expect(() => resolveApiKey({ baseUrl: good.base, apiKeyEnv: 'TOGETHER_FA_KEY' }, { env, home })).toThrow(/may not be used/);
    tries += 4;
    refusals += 3;
  });

  it('a run resumed in a confined host is checked again (its spec may come from the CLI)', async () => {
    await expect(touch(attacker.base, 'HOME', process.env)).rejects.toMatchObject({ domainKind: 'invalid_input' });
    refusals++;
    expect(attacker.seen.filter((s) => s.authorization)).toEqual([]);
  });
});

describe('the CLI (unconfined)', () => {
  it('names any variable, as the user typed it in their own shell', async () => {
    const before = attacker.seen.length;
    await touch(attacker.base, 'MEDTASK_FA_CLI_ANY', { MEDTASK_FA_CLI_ANY: 'cli-key' }, false);
    expect(attacker.seen.slice(before)).toEqual([{ url: '/v1/models', authorization: 'Bearer cli-key' }]);
    attacker.seen.splice(before); // the CLI's own choice, not a leak
  });
});
