/**
 * Crafted GGUFs through the shipped bundle: `medtask models add|inspect|generate` refuse each
 * one with "Invalid model file …" and a non-zero exit, a models folder lists them as invalid,
 * and `medtask serve` answers the same calls with 4xx errors and goes on serving, generating
 * with a good model afterwards in its engine child process.
 */
import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serve, type Served } from '../../e2e/fixtures';
import { writeTinyModel } from '../tooling/tinyModel';
import type { GenerateOutput, ModelList } from '../../src/shared';
import { REPO, tempDir } from '../helpers';
import { TINY } from '../models/fixtures';
import { HOSTILE_CASES, writeHostileModels } from '../models/hostile';

const run = promisify(execFile);
let home: string;
let crafted: string;
let files: Map<string, string>;
let good: string;
let host: Served | null = null;

async function medtask(...args: string[]) {
  try {
    const r = await run(process.execPath, ['bin/medtask.cjs', '--home', home, ...args], { cwd: REPO, timeout: 60_000 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

async function callApi(
  name: string,
  input: unknown,
): Promise<{ status: number; body: { ok: boolean; value?: unknown; error?: { code: string; message: string } } }> {
  const res = await fetch(`${host!.origin}/api/call/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${host!.token}`, origin: host!.origin },
    body: JSON.stringify(input),
  });
  return { status: res.status, body: (await res.json()) as { ok: boolean; error?: { code: string; message: string } } };
}

beforeAll(async () => {
  await run(process.execPath, ['scripts/build-node.mjs'], { cwd: REPO });
  home = tempDir('medtask-gguf-cli-');
  // Inside the data directory: the web host may read there whatever its confinement.
  crafted = join(home, 'crafted');
  await mkdir(crafted, { recursive: true });
  files = await writeHostileModels(crafted);
  good = join(home, 'tiny.gguf');
  await writeTinyModel(good, TINY);
});

afterAll(async () => {
  await host?.stop();
});

describe('crafted GGUFs through the CLI', () => {
  // The five cases, one process per command (each CLI start costs about a second).
  const CLI_CASES = ['absurd-block-count', 'bad-version', 'bad-alignment', 'tensor-past-eof', 'absurd-embedding-length'];

  it('models add and generate refuse each with its reason; models inspect too', { timeout: 180_000 }, async () => {
    let tries = 0;
    for (const c of HOSTILE_CASES.filter((h) => CLI_CASES.includes(h.name))) {
      const file = files.get(c.name)!;
      const commands = [
        ['models', 'add', file],
        ['generate', '--model', file, '--prompt', 'hello', '--max-tokens', '2'],
        ...(c.name === 'absurd-block-count' ? [['models', 'inspect', file]] : []),
      ];
      for (const args of commands) {
        const r = await medtask(...args);
        tries++;
        expect(r.code, `${args.join(' ')}: ${r.stderr}`).not.toBe(0);
        expect(r.stderr).toMatch(/Invalid model file/);
        expect(r.stderr).toMatch(c.reason);
        expect(r.stderr).not.toMatch(/Aborted|core dumped|GGML_ASSERT/);
      }
    }
    console.log(`crafted GGUF CLI commands refused: ${tries}`);
    const folder = await medtask('models', 'add', crafted);
    expect(folder.code).toBe(0);
    const listed = await medtask('models', 'list');
    expect(listed.stdout.match(/^invalid: Invalid model file/gm)).toHaveLength(HOSTILE_CASES.length);
    const json = JSON.parse((await medtask('models', 'list', '--json')).stdout) as ModelList;
    expect(json.invalid).toHaveLength(HOSTILE_CASES.length);
    expect(json.models).toHaveLength(0);
  });
});

describe('crafted GGUFs through medtask serve', () => {
  it('answers 4xx for each and keeps serving, then generates with a good model', { timeout: 120_000 }, async () => {
    host = await serve(home);
    let tries = 0;
    for (const c of HOSTILE_CASES) {
      const file = files.get(c.name)!;
      for (const [name, input] of [
        ['inspectModel', { path: file }],
        ['addModels', { paths: [file] }],
        ['generate', { model: file, prompt: 'hello', maxTokens: 2 }],
        ['loadModel', { path: file, loadId: `L-${c.name}` }],
      ] as const) {
        const r = await callApi(name, input);
        tries++;
        expect(r.status, `${name} ${c.name}: ${JSON.stringify(r.body)}`).toBeGreaterThanOrEqual(400);
        expect(r.status).toBeLessThan(500);
        expect(r.body.error?.message).toMatch(/Invalid model file/);
      }
    }
    console.log(`crafted GGUF host calls refused: ${tries}`);
    expect(host.child.exitCode).toBeNull();
    const list = await callApi('listModels', {});
    expect(list.status).toBe(200);
    const out = await callApi('generate', { model: good, prompt: 'the patient', maxTokens: 3, settings: { threads: 1 } });
    expect(out.status).toBe(200);
    expect((out.body.value as GenerateOutput).outputTokens).toBe(3);
    expect(host.stderr()).not.toMatch(/Aborted|GGML_ASSERT/);
  });
});
