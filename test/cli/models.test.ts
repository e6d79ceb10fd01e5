import { execFile } from 'node:child_process';
import { mkdir, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GgufWriter } from '../tooling/ggufWriter';
import { writeTinyLora, writeTinyModel } from '../tooling/tinyModel';
import type { GenerateOutput, ModelAddResult, ModelInspection, ModelList, PullResult } from '../../src/shared';
import { REPO, tempDir } from '../helpers';
import { TINY } from '../models/fixtures';
import { serveFile } from '../library/fileServer';
import { writeSplitTinyModel } from '../library/modelFixtures';

const run = promisify(execFile);

async function medtask(...args: string[]) {
  try {
    const r = await run(process.execPath, ['bin/medtask.cjs', ...args], { cwd: REPO, timeout: 60_000 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

let dir: string;
let home: string;
let model: string;
let lora: string;
let folder: string;
let split: [string, string];

beforeAll(async () => {
  await run(process.execPath, ['scripts/build-node.mjs'], { cwd: REPO });
  dir = tempDir('medtask-cli-models-');
  home = join(dir, 'home');
  folder = join(dir, 'lib');
  await mkdir(join(folder, 'sub'), { recursive: true });
  model = join(dir, 'tiny.gguf');
  lora = join(folder, 'tiny-lora.gguf');
  await writeTinyModel(model, TINY);
  await writeTinyLora(lora, TINY, { seed: 3, rank: 4, alpha: 8 });
  split = await writeSplitTinyModel(join(dir, 'other.gguf'), join(folder, 'sub', 'big'), { ...TINY, seed: 9 });
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('medtask models', () => {
  it('adds a file and a folder, lists header facts, fit and adapters under their base', async () => {
    const add = await medtask('--home', home, 'models', 'add', model, '--json');
    expect(add.code).toBe(0);
    const added = JSON.parse(add.stdout) as ModelAddResult;
    expect(added.added[0]).toMatchObject({ kind: 'model', path: model, header: { architecture: 'llama', trainContextLength: 2048, quantization: 'ALL_F32' } });

    const addFolder = await medtask('--home', home, 'models', 'add', folder);
    expect(addFolder.code).toBe(0);
    expect(addFolder.stdout).toMatch(/added adapter \d+: tiny-llama-7-lora-3/);
    expect(addFolder.stdout).toMatch(/added model \d+: tiny-llama-9-split .*runs on CPU/);

    const list = JSON.parse((await medtask('--home', home, 'models', 'list', '--json')).stdout) as ModelList;
    expect(list.models.map((m) => m.path).sort()).toEqual([model, split[0]].sort());
    expect(list.models.find((m) => m.path === split[0])?.parts.map((p) => p.path)).toEqual(split);
    // Both models have the adapter's shapes: it waits for the user's choice.
    expect(list.adapters[0]?.base?.candidates).toHaveLength(2);

    const table = await medtask('--home', home, 'models', 'list');
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^id\s+name\s+arch\s+params\s+quant\s+ctx\s+size\s+fit\s+status\s+path/);
    expect(table.stdout).toMatch(/tiny-llama-7\s+llama\s+\S+\s+ALL_F32\s+2048\s+\S+ \S+\s+cpu\s+ok/);
    expect(table.stdout).toMatch(/\(\+1 parts\)/);
    expect(table.stdout).toMatch(/fits several models/);

    const inspect = await medtask('--home', home, 'models', 'inspect', split[1], '--json');
    expect(inspect.code).toBe(0);
    const info = JSON.parse(inspect.stdout) as ModelInspection;
    expect(info).toMatchObject({ path: split[0], parts: split, kind: 'model' });
    expect(info.fit?.verdict).toBe('cpu');
    const inspectText = await medtask('--home', home, 'models', 'inspect', model);
    expect(inspectText.stdout).toMatch(/architecture: llama/);
    expect(inspectText.stdout).toMatch(/chat template: yes/);
    expect(inspectText.stdout).toMatch(/fit \(cpu\): runs on CPU/);
  });

  it('renames, removes, marks a deleted file missing, and rescans', async () => {
    const list = JSON.parse((await medtask('--home', home, 'models', 'list', '--json')).stdout) as ModelList;
    const splitId = list.models.find((m) => m.path === split[0])!.id;
    const rename = await medtask('--home', home, 'models', 'rename', String(splitId), 'Big split');
    expect(rename.code).toBe(0);
    expect(rename.stdout).toContain('Big split');

    const extra = join(dir, 'extra.gguf');
    await writeTinyModel(extra, { ...TINY, seed: 21 });
    const extraId = (JSON.parse((await medtask('--home', home, 'models', 'add', extra, '--json')).stdout) as ModelAddResult).added[0]!.id;
    await unlink(extra);
    const table = await medtask('--home', home, 'models', 'list');
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(new RegExp(`missing: tiny-llama-21 \\(id ${extraId}\\): file not found: ${extra.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    const rescan = await medtask('--home', home, 'models', 'rescan');
    expect(rescan.stdout).toMatch(/4 checked: 3 ok, 1 missing, 0 changed; 0 new/);

    const remove = await medtask('--home', home, 'models', 'remove', String(extraId));
    expect(remove.code).toBe(0);
    const after = JSON.parse((await medtask('--home', home, 'models', 'list', '--json')).stdout) as ModelList;
    expect(after.models.map((m) => m.name).sort()).toEqual(['Big split', 'tiny-llama-7']);
  });

  it('rejects a bad file with one line naming it', async () => {
    const bad = join(dir, 'bad.gguf');
    await writeFile(bad, 'hello, not a model\n'.repeat(10));
    const r = await medtask('--home', home, 'models', 'add', bad);
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(bad);
    expect(r.stderr).toMatch(/^medtask: .*not a GGUF/);
  });

  it('adds a model of an architecture llama.cpp does not know, and warns at once that it will not load', async () => {
    const file = join(dir, 'frobnicator.gguf');
    const w = new GgufWriter();
    w.string('general.architecture', 'frobnicator').string('general.name', 'frob').u32('frobnicator.context_length', 128);
    w.addTensor('token_embd.weight', [4, 4], new Float32Array(16));
    await w.write(file);
    const r = await medtask('--home', home, 'models', 'add', file);
    expect(r.code).toBe(0);
    const id = /added model (\d+): frob \(frobnicator/.exec(r.stdout)?.[1];
    expect(id).toBeDefined();
    expect(r.stderr).toContain(`warning: frob (${file}): architecture "frobnicator" is not supported`);
    const removed = await medtask('--home', home, 'models', 'remove', id!);
    expect(removed.code).toBe(0);
    // A supported model adds without a warning.
    const ok = await medtask('--home', home, 'models', 'add', model);
    expect(ok.stderr).not.toContain('warning');
  });

  it('pull says plainly and quickly that the machine is offline', async () => {
    const started = Date.now();
    const r = await medtask('--home', home, 'models', 'pull', 'hf:bartowski/SmolLM2-135M-Instruct-GGUF:Q4_K_M', '--timeout', '5000');
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/^medtask: offline: cannot reach huggingface\.co; copy the \.gguf file to this machine and use `medtask models add PATH`/);
  });

  it('pull downloads from a reachable server into the library', async () => {
    const server = await serveFile(model);
    try {
      const r = await medtask('--home', home, 'models', 'pull', server.url('served-tiny.gguf'), '--json');
      expect(r.code).toBe(0);
      const pulled = JSON.parse(r.stdout) as PullResult;
      expect(pulled.path).toBe(join(home, 'models', 'served-tiny.gguf'));
      expect(pulled.resumedBytes).toBe(0);
      expect(pulled.record).toMatchObject({ kind: 'model', name: 'tiny-llama-7', path: pulled.path });
      const list = JSON.parse((await medtask('--home', home, 'models', 'list', '--json')).stdout) as ModelList;
      expect(list.models.some((m) => m.path === pulled.path)).toBe(true);
    } finally {
      await server.close();
    }
  });
});

describe('medtask generate', () => {
  it('prints text and figures as JSON, identical on two greedy runs, different with a LoRA', async () => {
    const args = ['--home', home, 'generate', '--model', model, '--prompt', 'the patient has a fever', '--max-tokens', '12', '--threads', '1', '--json'];
    const a = await medtask(...args);
    expect(a.code).toBe(0);
    const ra = JSON.parse(a.stdout) as GenerateOutput;
    const rb = JSON.parse((await medtask(...args)).stdout) as GenerateOutput;
    expect(ra.text.length).toBeGreaterThan(0);
    expect(rb.text).toBe(ra.text);
    expect(ra).toMatchObject({ outputTokens: 12, stopReason: 'maxTokens' });
    expect(ra.promptTokens).toBeGreaterThan(1);
    expect(ra.timeToFirstTokenMs).toBeGreaterThan(0);
    expect(ra.tokensPerSecond).toBeGreaterThan(0);

    const withLora = JSON.parse((await medtask(...args, '--lora', lora)).stdout) as GenerateOutput;
    expect(withLora.text).not.toBe(ra.text);
    expect(withLora.adapters).toEqual([{ path: lora, scale: 1 }]);

    const list = JSON.parse((await medtask('--home', home, 'models', 'list', '--json')).stdout) as ModelList;
    const id = list.models.find((m) => m.path === model)!.id;
    const byId = JSON.parse(
      (
        await medtask(
          '--home',
          home,
          'generate',
          '--model',
          String(id),
          '--prompt',
          'the patient has a fever',
          '--max-tokens',
          '12',
          '--threads',
          '1',
          '--json',
        )
      ).stdout,
    ) as GenerateOutput;
    expect(byId.text).toBe(ra.text);

    const text = await medtask('--home', home, 'generate', '--model', model, '--prompt', 'the patient has a fever', '--max-tokens', '12', '--threads', '1');
    expect(text.code).toBe(0);
    expect(text.stdout.startsWith(ra.text)).toBe(true);
    expect(text.stdout).toMatch(/-- 12 tokens \(maxTokens\), prompt \d+ tokens, first token [\d.]+ ms, [\d.]+ tokens\/s/);
  });

  it('--chat-template takes a built-in name or a Jinja file, and names what is wrong', async () => {
    const chat = ['--home', home, 'generate', '--model', model, '--chat', 'what is the diagnosis', '--max-tokens', '4', '--threads', '1', '--json'];
    const own = JSON.parse((await medtask(...chat)).stdout) as GenerateOutput;
    expect(own.renderedPrompt.replace(/\s+/g, '')).toContain('User:whatisthediagnosis');
    const chatML = JSON.parse((await medtask(...chat, '--chat-template', 'chatML')).stdout) as GenerateOutput;
    expect(chatML.renderedPrompt.replace(/\s+/g, '')).toContain('<|im_start|>user');
    expect(chatML.settings.chatTemplate).toBe('chatML');
    const file = join(dir, 'template.jinja');
    await writeFile(file, "{% for m in messages %}<<{{ m['role'] }}>> {{ m['content'] }}\n{% endfor %}{% if add_generation_prompt %}<<assistant>> {% endif %}");
    const custom = JSON.parse((await medtask(...chat, '--chat-template', file)).stdout) as GenerateOutput;
    expect(custom.renderedPrompt.replace(/\s+/g, '')).toContain('<<user>>whatisthediagnosis<<assistant>>');

    const unknown = await medtask(...chat, '--chat-template', 'llama9');
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toMatch(/"llama9" is neither a built-in chat template \(.*chatML.*\) nor a file/);
    const notJinja = join(dir, 'notes.txt');
    await writeFile(notJinja, 'just some words');
    const plain = await medtask(...chat, '--chat-template', notJinja);
    expect(plain.code).not.toBe(0);
    expect(plain.stderr).toContain(`${notJinja} holds no Jinja tags`);
    const broken = join(dir, 'broken.jinja');
    await writeFile(broken, '{% for m in messages %}{{ m.content }');
    const bad = await medtask(...chat, '--chat-template', broken);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/not a usable Jinja template/);
    const raw = await medtask('--home', home, 'generate', '--model', model, '--prompt', 'x', '--chat-template', 'chatML');
    expect(raw.stderr).toMatch(/--chat-template applies to --chat/);
  });

  it('--truncate cuts a prompt over --max-prompt-tokens and reports it; without it the error names the flag to use', async () => {
    const prompt = 'the patient has a fever and a cough '.repeat(10);
    const base = ['--home', home, 'generate', '--model', model, '--prompt', prompt, '--max-tokens', '4', '--threads', '1', '--max-prompt-tokens', '12'];
    const refused = await medtask(...base);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/more than maxPromptTokens \(12\)\. Choose a truncation policy/);
    const cut = JSON.parse((await medtask(...base, '--truncate', 'keep-start', '--json')).stdout) as GenerateOutput;
    expect(cut.promptTokens).toBe(12);
    expect(cut.truncation).toMatchObject({ policy: 'keep-start', removedTokens: cut.truncation!.originalTokens - 12 });
    const text = await medtask(...base, '--truncate', 'keep-start');
    expect(text.code).toBe(0);
    expect(text.stderr).toMatch(/the prompt was cut to fit: \d+ of \d+ tokens removed \(keep-start\)/);
    const bad = await medtask(...base, '--truncate', 'sideways');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/Allowed choices are error, keep-start, keep-end, keep-both/);
  });

  it('applies --batch-size and --no-flash-attention, says which settings it could not apply, and reports the runtime', async () => {
    const base = ['--home', home, 'generate', '--model', model, '--prompt', 'the patient', '--max-tokens', '4', '--threads', '1'];
    const r = JSON.parse((await medtask(...base, '--batch-size', '32', '--no-flash-attention', '--json')).stdout) as GenerateOutput;
    expect(r.settings).toMatchObject({ batchSize: 32, flashAttention: false });
    const gpu = await medtask(...base, '--gpu-layers', '3');
    expect(gpu.code).toBe(0);
    expect(gpu.stderr).toMatch(/not applied: gpuLayers 3: the cpu backend does not offload layers/);
    const runtime = JSON.parse((await medtask('--home', home, 'runtime', '--json')).stdout) as { backend: string; ram: { total: number } };
    expect(runtime.backend).toBe('cpu');
    expect(runtime.ram.total).toBeGreaterThan(0);
    expect((await medtask('--home', home, 'runtime')).stdout).toMatch(/^backend: cpu.*\ndevices: none reported\nVRAM: none\nRAM: .* free of /s);
  });

  it('npm run make:tiny-model writes a deterministic model (and LoRA) that loads', async () => {
    const a = join(dir, 'made-a.gguf');
    const b = join(dir, 'made-b.gguf');
    const l = join(dir, 'made-lora.gguf');
    const make = (out: string, ...rest: string[]) =>
      run(process.execPath, ['scripts/run-ts.cjs', 'scripts/make-tiny-model.ts', out, ...rest], { cwd: REPO, timeout: 60_000 });
    await make(a, '--seed', '42', '--lora', l);
    await make(b, '--seed', '42');
    expect((await readFile(a)).equals(await readFile(b))).toBe(true);
    const out = JSON.parse(
      (await medtask('--home', home, 'generate', '--model', a, '--prompt', 'the patient', '--max-tokens', '4', '--threads', '1', '--lora', l, '--json')).stdout,
    ) as GenerateOutput;
    expect(out.outputTokens).toBe(4);
    expect(out.adapters).toEqual([{ path: l, scale: 1 }]);
  });

  it('names the file when the model cannot be read', async () => {
    const r = await medtask('--home', home, 'generate', '--model', join(dir, 'missing.gguf'), '--prompt', 'x', '--threads', '1');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(join(dir, 'missing.gguf'));
  });
});
