/**
 * Hostile model files through the real core: every crafted header (absurd block_count, bad
 * version, bad alignment, a tensor past the end of the file, absurd embedding length, ...) is
 * refused with "Invalid model file …: <reason>" by inspectModel, addModels and generate, listed
 * as invalid when found in a models folder, and never reaches llama.cpp (which would abort this
 * test process: the test passing is the proof that the process survived).
 */
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatchCall, unwrap, type CallInput, type CallName, type CallResults } from '../../src/shared';
import { ApiError } from '../../src/shared/errors';
import { MedtaskCore } from '../../src/core/service';
import { inspectModelFile } from '../../src/core/gguf/inspect';
import { ModelFileError } from '../../src/core/gguf/errors';
import { validateGgufFile } from '../../src/core/gguf/validate';
import { writeTinyLora, writeTinyModel } from '../tooling/tinyModel';
import { tempDir } from '../helpers';
import { TINY } from '../models/fixtures';
import { HOSTILE_CASES, writeHostileModels } from '../models/hostile';

let dir: string;
let core: MedtaskCore;
let files: Map<string, string>;
let good: string;

async function call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallResults[N]> {
  return unwrap(await dispatchCall(core.handlers, name, input)) as CallResults[N];
}

async function callError(name: CallName, input: unknown): Promise<ApiError> {
  const env = await dispatchCall(core.handlers, name, input);
  if (env.ok) throw new Error(`${name} succeeded but should have failed`);
  return ApiError.fromData(env.error);
}

beforeAll(async () => {
  dir = tempDir('medtask-gguf-hostile-');
  await mkdir(join(dir, 'crafted'));
  files = await writeHostileModels(join(dir, 'crafted'));
  good = join(dir, 'tiny.gguf');
  await writeTinyModel(good, TINY);
  await writeTinyLora(join(dir, 'tiny-lora.gguf'), TINY, { seed: 3, rank: 4, alpha: 8 });
  core = new MedtaskCore({ home: join(dir, 'home') });
});

afterAll(async () => {
  await core?.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe('GGUF header validation', () => {
  it('accepts the real tiny model and LoRA adapter', async () => {
    await expect(validateGgufFile([good])).resolves.toBeUndefined();
    await expect(validateGgufFile([join(dir, 'tiny-lora.gguf')])).resolves.toBeUndefined();
  });

  it.each(HOSTILE_CASES.map((c) => [c.name, c] as const))('refuses %s with its reason', async (_name, c) => {
    const file = files.get(c.name)!;
    const err = await inspectModelFile(file).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ModelFileError);
    const mfe = err as ModelFileError;
    expect(mfe.problem).toBe(c.problem);
    expect(mfe.domainKind).toBe('invalid_input');
    expect(mfe.message).toMatch(/^Invalid model file /);
    expect(mfe.message).toContain(file);
    expect(mfe.message).toMatch(c.reason);
    expect(mfe.message.length).toBeLessThan(600);
  });
  console.log(`crafted GGUF cases: ${HOSTILE_CASES.length}`);
});

describe('crafted GGUFs through the core calls', () => {
  it('inspectModel, addModels (a file) and generate refuse each one with a 4xx error', async () => {
    let tries = 0;
    for (const c of HOSTILE_CASES) {
      const file = files.get(c.name)!;
      for (const [name, input] of [
        ['inspectModel', { path: file }],
        ['addModels', { paths: [file] }],
        ['generate', { model: file, prompt: 'hello', maxTokens: 2 }],
      ] as const) {
        const err = await callError(name, input);
        tries++;
        expect(err.code, `${name} ${c.name}`).toBe('invalid_input');
        expect(err.message, `${name} ${c.name}`).toMatch(/Invalid model file/);
        expect(err.message).toMatch(c.reason);
      }
    }
    console.log(`crafted GGUF core calls refused: ${tries}`);
    // Nothing was added, and the engine still runs a good model afterwards.
    expect((await call('listModels', {})).models).toHaveLength(0);
    const out = await call('generate', { model: good, prompt: 'the patient', maxTokens: 3, settings: { threads: 1 } });
    expect(out.outputTokens).toBe(3);
  });

  it('a models folder lists crafted files as invalid with their reasons; rescan keeps them invalid until fixed', async () => {
    const folder = join(dir, 'crafted');
    const added = await call('addModels', { paths: [folder] });
    expect(added.added).toHaveLength(0);
    expect(added.skipped).toHaveLength(HOSTILE_CASES.length);
    const list = await call('listModels', {});
    expect(list.invalid.map((f) => f.path).sort()).toEqual([...files.values()].sort());
    for (const c of HOSTILE_CASES) {
      const row = list.invalid.find((f) => f.path === files.get(c.name))!;
      expect(row.folder).toBe(folder);
      expect(row.problem).toBe(c.problem);
      expect(row.reason).toMatch(c.reason);
    }

    const rescan = await call('rescanModels', { refresh: false });
    expect(rescan.added).toHaveLength(0);
    expect((await call('listModels', {})).invalid).toHaveLength(HOSTILE_CASES.length);

    // Replacing a crafted file with a good model: the rescan adds it and it is no longer invalid.
    const fixed = files.get('bad-version')!;
    await copyFile(good, fixed);
    const again = await call('rescanModels', { refresh: false });
    expect(again.added.map((m) => m.path)).toEqual([fixed]);
    const after = await call('listModels', {});
    expect(after.invalid.map((f) => f.path)).not.toContain(fixed);
    expect(after.invalid).toHaveLength(HOSTILE_CASES.length - 1);
  });
});
