import { appendFile, copyFile, mkdir, readFile, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatchCall, unwrap, type CallInput, type CallName, type CallResults } from '../../src/shared';
import { ApiError } from '../../src/shared/errors';
import { MedtaskCore } from '../../src/core/service';
import { TINY_CHAT_TEMPLATE, writeTinyLora, writeTinyModel } from '../tooling/tinyModel';
import { tempDir } from '../helpers';
import { TINY } from '../models/fixtures';
import { serveFile } from './fileServer';
import { writeSplitTinyModel } from './modelFixtures';

const TINY32 = { ...TINY, seed: 11, embd: 32, heads: 4, kvHeads: 2 };

let dir: string;
let core: MedtaskCore;
let f: {
  model: string;
  lora: string;
  folder: string;
  split: [string, string];
  splitSingle: string;
  model32: string;
  lora32: string;
  badInFolder: string;
  notGguf: string;
  truncated: string;
};

async function call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallResults[N]> {
  return unwrap(await dispatchCall(core.handlers, name, input)) as CallResults[N];
}

async function callError(name: CallName, input: unknown): Promise<ApiError> {
  const env = await dispatchCall(core.handlers, name, input);
  if (env.ok) throw new Error(`${name} succeeded but should have failed`);
  return ApiError.fromData(env.error);
}

beforeAll(async () => {
  dir = tempDir('medtask-models-');
  const folder = join(dir, 'models');
  await mkdir(join(folder, 'nested', 'deeper'), { recursive: true });
  const model = join(dir, 'tiny.gguf');
  const lora = join(folder, 'tiny-lora.gguf');
  await writeTinyModel(model, TINY);
  await writeTinyLora(lora, TINY, { seed: 3, rank: 4, alpha: 8 });
  const splitSingle = join(dir, 'split-source.gguf');
  const split = await writeSplitTinyModel(splitSingle, join(folder, 'nested', 'tiny-split'), TINY);
  const model32 = join(folder, 'nested', 'deeper', 'tiny32.gguf');
  const lora32 = join(folder, 'nested', 'tiny32-lora.gguf');
  await writeTinyModel(model32, TINY32);
  await writeTinyLora(lora32, TINY32, { seed: 5, rank: 2 });
  const badInFolder = join(folder, 'broken.gguf');
  await writeFile(badInFolder, 'not a model at all\n'.repeat(10));
  const notGguf = join(dir, 'notes.gguf');
  await writeFile(notGguf, 'This is a plain text file, not a model.\n'.repeat(20));
  const truncated = join(dir, 'truncated.gguf');
  const bytes = await readFile(model);
  await writeFile(truncated, bytes.subarray(0, bytes.length - 4096));
  f = { model, lora, folder, split, splitSingle, model32, lora32, badInFolder, notGguf, truncated };
  core = new MedtaskCore({ home: join(dir, 'home') });
});

afterAll(async () => {
  await core?.dispose();
  await rm(dir, { recursive: true, force: true });
});

/** The rendered prompt is detokenized: the tiny SPM vocabulary adds spaces around text it has no token for, so whitespace is left out of the comparison. */
const squash = (s: string): string => s.replace(/\s+/g, '');

describe('model library', () => {
  it('adds a .gguf file with its header facts and a fit estimate, without copying it', async () => {
    const r = await call('addModels', { paths: [f.model] });
    expect(r.added).toHaveLength(1);
    const m = r.added[0]!;
    expect(m).toMatchObject({ kind: 'model', path: f.model, status: 'ok', folder: null, name: 'tiny-llama-7' });
    expect(m.parts).toEqual([{ path: f.model, sizeBytes: (await stat(f.model)).size, mtimeMs: (await stat(f.model)).mtimeMs, status: 'ok' }]);
    expect(m.header).toMatchObject({
      architecture: 'llama',
      architectureSupported: true,
      quantization: 'ALL_F32',
      trainContextLength: 2048,
      layerCount: 2,
      embeddingLength: 64,
      chatTemplate: TINY_CHAT_TEMPLATE,
      sizeBytes: (await stat(f.model)).size,
    });
    expect(m.header.parameterCount).toBeGreaterThan(50_000);
    expect(m.fit).not.toBeNull();
    expect(m.fit!.backend).toBe('cpu');
    expect(m.fit!.verdict).toBe('cpu');
    expect(m.fit!.ramBytes).toBeGreaterThan(0);
    expect(m.fit!.ramTotalBytes).toBeGreaterThan(m.fit!.ramBytes);
    expect(m.fit!.summary).toMatch(/runs on CPU: .* RAM at context 2048/);
    // Adding again updates rather than duplicates.
    const again = await call('addModels', { paths: [f.model] });
    expect(again.added).toHaveLength(0);
    expect(again.updated.map((u) => u.id)).toEqual([m.id]);
  });

  it('scans a folder recursively: split parts count as one model, adapters go under their base', async () => {
    const r = await call('addModels', { paths: [f.folder] });
    expect(r.skipped).toEqual([{ file: f.badInFolder, message: expect.stringContaining(f.badInFolder) as unknown as string }]);
    const byPath = new Map(r.added.map((m) => [m.path, m]));
    expect([...byPath.keys()].sort()).toEqual([f.lora, f.lora32, f.model32, f.split[0]].sort());
    const split = byPath.get(f.split[0])!;
    expect(split.parts.map((p) => p.path)).toEqual(f.split);
    expect(split.header.sizeBytes).toBe((await stat(f.split[0])).size + (await stat(f.split[1])).size);
    expect(split.folder).toBe(f.folder);
    expect(split.header.tensorCount).toBe((await call('inspectModel', { path: f.splitSingle })).header.tensorCount);

    const list = await call('listModels', {});
    expect(list.folders).toEqual([f.folder]);
    expect(list.models).toHaveLength(3);
    expect(list.adapters).toHaveLength(2);
    const tiny = list.models.find((m) => m.path === f.model)!;
    const tiny32 = list.models.find((m) => m.path === f.model32)!;
    const lora32 = list.adapters.find((a) => a.path === f.lora32)!;
    const lora = list.adapters.find((a) => a.path === f.lora)!;
    // Only one model has the shapes of the 32-wide adapter.
    expect(lora32.base).toEqual({ modelId: tiny32.id, chosenBy: 'auto', candidates: [tiny32.id] });
    expect(tiny32.adapterIds).toEqual([lora32.id]);
    expect(lora32.header).toMatchObject({ adapterType: 'lora', loraRank: 2, adapterTargets: 2 * 7, architecture: 'llama' });
    // The 64-wide adapter fits the single-file and the split model: ambiguous until the user chooses.
    expect(lora.base?.modelId).toBeNull();
    expect(lora.base?.candidates.sort()).toEqual([tiny.id, split.id].sort());
    expect(lora.header.loraAlpha).toBe(8);

    const chosen = await call('setAdapterBase', { adapterId: lora.id, baseModelId: tiny.id });
    expect(chosen.base).toMatchObject({ modelId: tiny.id, chosenBy: 'user' });
    const err = await callError('setAdapterBase', { adapterId: lora.id, baseModelId: tiny32.id });
    expect(err.code).toBe('invalid_input');
    expect(err.message).toContain('tensor shapes');
    await call('rescanModels', {});
    const after = await call('listModels', {});
    expect(after.adapters.find((a) => a.id === lora.id)?.base).toMatchObject({ modelId: tiny.id, chosenBy: 'user' });
    expect(after.models.find((m) => m.id === tiny.id)?.adapterIds).toEqual([lora.id]);
  });

  it('refuses bad files with a clear error naming the file and leaves the library intact', async () => {
    const before = await call('listModels', {});
    const notGguf = await callError('addModels', { paths: [f.notGguf] });
    expect(notGguf.code).toBe('invalid_input');
    expect(notGguf.message).toContain(f.notGguf);
    expect(notGguf.message).toMatch(/not a GGUF/);
    const truncated = await callError('addModels', { paths: [f.truncated] });
    expect(truncated.message).toContain(f.truncated);
    expect(truncated.message).toMatch(/truncated/);
    // A good file in the same call is not added either.
    const mixed = await callError('addModels', { paths: [f.splitSingle, f.truncated] });
    expect(mixed.message).toContain(f.truncated);
    const missing = await callError('addModels', { paths: [join(dir, 'nope.gguf')] });
    expect(missing.code).toBe('not_found');
    expect(missing.message).toContain(join(dir, 'nope.gguf'));
    const after = await call('listModels', {});
    expect(after.models.map((m) => m.id)).toEqual(before.models.map((m) => m.id));
    expect(after.adapters.map((m) => m.id)).toEqual(before.adapters.map((m) => m.id));
  });

  it('inspects a file without adding it', async () => {
    const r = await call('inspectModel', { path: f.splitSingle, settings: { contextSize: 512 } });
    expect(r).toMatchObject({ kind: 'model', libraryId: null, parts: [f.splitSingle] });
    expect(r.fit?.contextSize).toBe(512);
    const lib = await call('inspectModel', { path: f.split[1] });
    expect(lib.path).toBe(f.split[0]);
    expect(lib.libraryId).not.toBeNull();
    expect((await call('listModels', {})).models.some((m) => m.path === f.splitSingle)).toBe(false);
    // The estimate stored at add time and a fresh one agree (same default settings).
    const tiny = (await call('listModels', {})).models.find((m) => m.path === f.model)!;
    expect((await call('inspectModel', { id: tiny.id, settings: {} })).fit?.ramBytes).toBe(tiny.fit?.ramBytes);
  });

  it('marks files that vanished or changed instead of failing, and re-reads changed files on request', async () => {
    const gone = join(dir, 'gone.gguf');
    const touched = join(dir, 'touched.gguf');
    await copyFile(f.model, gone);
    await copyFile(f.model, touched);
    const { added } = await call('addModels', { paths: [gone, touched] });
    const [goneId, touchedId] = [added.find((m) => m.path === gone)!.id, added.find((m) => m.path === touched)!.id];
    await unlink(gone);
    await appendFile(touched, Buffer.alloc(128));
    const list = await call('listModels', {});
    const g = list.models.find((m) => m.id === goneId)!;
    const t = list.models.find((m) => m.id === touchedId)!;
    expect(g.status).toBe('missing');
    expect(g.statusDetail).toContain(gone);
    expect(g.parts[0]?.status).toBe('missing');
    expect(t.status).toBe('changed');
    expect(t.statusDetail).toMatch(/changed size/);
    const rescan = await call('rescanModels', {});
    expect(rescan.missing).toBe(1);
    expect(rescan.changed).toBe(1);
    const refreshed = await call('rescanModels', { refresh: true });
    expect(refreshed.changed).toBe(0);
    expect((await call('listModels', {})).models.find((m) => m.id === touchedId)?.header.sizeBytes).toBe((await stat(touched)).size);
    // Generating from the missing model names the file.
    const err = await callError('generate', { model: goneId, prompt: 'the', maxTokens: 2, settings: { threads: 1 } });
    expect(err.message).toContain(gone);
    await call('removeModel', { id: goneId });
    await call('removeModel', { id: touchedId });
  });

  it('renames and removes; a removed folder file stays out on re-scan', async () => {
    const list = await call('listModels', {});
    const m32 = list.models.find((m) => m.path === f.model32)!;
    expect((await call('renameModel', { id: m32.id, name: 'Narrow tiny' })).name).toBe('Narrow tiny');
    expect((await call('listModels', {})).models.find((m) => m.id === m32.id)?.name).toBe('Narrow tiny');
    const cfg = await call('saveModelConfig', { name: 'narrow', modelId: m32.id, adapters: [], settings: { threads: 1 } });
    const removed = await call('removeModel', { id: m32.id });
    expect(removed.removedConfigs).toEqual(['narrow']);
    expect((await call('listModelConfigs', {})).some((c) => c.id === cfg.id)).toBe(false);
    const after = await call('listModels', {});
    expect(after.models.some((m) => m.id === m32.id)).toBe(false);
    // Its adapter has no base any more.
    expect(after.adapters.find((a) => a.path === f.lora32)?.base).toEqual({ modelId: null, chosenBy: null, candidates: [] });
    const rescan = await call('rescanModels', {});
    expect(rescan.added).toHaveLength(0);
    expect((await callError('removeModel', { id: 99_999 })).code).toBe('not_found');
    // Adding the file explicitly brings it back.
    expect((await call('addModels', { paths: [f.model32] })).added).toHaveLength(1);
  });
});

describe('generate', () => {
  const prompt = 'the patient has a fever';

  it('returns identical greedy text twice, with figures, streaming tokens as events', async () => {
    const chunks: string[] = [];
    const off = core.on('generateToken', (t) => t.requestId === 'g1' && chunks.push(t.text));
    const a = await call('generate', { model: f.model, prompt, maxTokens: 16, settings: { threads: 1 }, requestId: 'g1' });
    off();
    const b = await call('generate', { model: f.model, prompt, maxTokens: 16, settings: { threads: 1 } });
    expect(a.text.length).toBeGreaterThan(0);
    expect(b.text).toBe(a.text);
    expect(chunks.join('')).toBe(a.text);
    expect(a).toMatchObject({ requestId: 'g1', outputTokens: 16, stopReason: 'maxTokens', modelPath: f.model, adapters: [], ignoredSettings: [] });
    expect(a.promptTokens).toBeGreaterThan(1);
    expect(a.timeToFirstTokenMs).toBeGreaterThan(0);
    expect(a.tokensPerSecond).toBeGreaterThan(0);
    expect(a.settings).toMatchObject({ gpuLayers: 0, threads: 1, contextSize: 2048 });
  });

  it('runs library models, split models, LoRA adapters and saved configurations', async () => {
    const list = await call('listModels', {});
    const tiny = list.models.find((m) => m.path === f.model)!;
    const split = list.models.find((m) => m.path === f.split[0])!;
    const lora = list.adapters.find((a) => a.path === f.lora)!;
    const base = await call('generate', { model: tiny.id, prompt, maxTokens: 16, settings: { threads: 1 } });
    const byName = await call('generate', { model: String(tiny.id), prompt, maxTokens: 16, settings: { threads: 1 } });
    const fromSplit = await call('generate', { model: split.id, prompt, maxTokens: 16, settings: { threads: 1 } });
    expect(byName.text).toBe(base.text);
    expect(fromSplit.text).toBe(base.text);

    const withLora = await call('generate', { model: f.model, adapters: [{ path: f.lora }], prompt, maxTokens: 16, settings: { threads: 1 } });
    expect(withLora.text).not.toBe(base.text);
    expect(withLora.adapters).toEqual([{ path: f.lora, scale: 1 }]);
    const byAdapterId = await call('generate', { model: tiny.id, adapters: [{ adapterId: lora.id }], prompt, maxTokens: 16, settings: { threads: 1 } });
    expect(byAdapterId.text).toBe(withLora.text);

    const cfg = await call('saveModelConfig', {
      name: 'tiny + lora',
      modelId: tiny.id,
      adapters: [{ adapterId: lora.id, scale: 1 }],
      settings: { threads: 1, contextSize: 512, batchSize: 64, flashAttention: true },
    });
    expect(cfg).toMatchObject({
      modelPath: f.model,
      adapters: [{ adapterId: lora.id, path: f.lora, scale: 1 }],
      settings: { gpuLayers: 'auto', threads: 1, contextSize: 512, batchSize: 64, flashAttention: true },
    });
    const viaConfig = await call('generate', { configId: cfg.id, prompt, maxTokens: 16 });
    expect(viaConfig.text).toBe(withLora.text);
    // Read back from the context llama.cpp created, so each setting is shown to be applied.
    expect(viaConfig.settings).toMatchObject({ contextSize: 512, threads: 1, batchSize: 64, flashAttention: true });
    expect(viaConfig.ignoredSettings).toEqual([]);
    const noFlash = await call('generate', { configId: cfg.id, prompt, maxTokens: 16, settings: { flashAttention: false, batchSize: 32 } });
    expect(noFlash.settings).toMatchObject({ batchSize: 32, flashAttention: false });
    expect(noFlash.text).toBe(withLora.text);
    const viaConfigName = await call('generate', { model: 'tiny + lora', prompt, maxTokens: 16 });
    expect(viaConfigName.text).toBe(withLora.text);
    expect((await call('listModelConfigs', {})).map((c) => c.name)).toContain('tiny + lora');
    expect(await call('removeModelConfig', { id: cfg.id })).toBe(true);
  });

  it('gives clear errors for bad generate requests', async () => {
    expect((await callError('generate', { model: f.model, maxTokens: 2 })).message).toMatch(/prompt or messages/);
    expect((await callError('generate', { model: 'no-such-model', prompt: 'x' })).code).toBe('not_found');
    const lora = (await call('listModels', {})).adapters[0]!;
    expect((await callError('generate', { model: lora.id, prompt: 'x', settings: { threads: 1 } })).message).toMatch(/adapter/);
    const long = await callError('generate', { model: f.model, prompt: 'the patient '.repeat(200), maxTokens: 8, settings: { threads: 1, contextSize: 128 } });
    expect(long.code).toBe('invalid_input');
    expect(long.message).toMatch(/context/);
  });

  it('chat messages go through the chat template', async () => {
    const r = await call('generate', {
      model: f.model,
      messages: [{ role: 'user', content: 'what is the diagnosis' }],
      maxTokens: 8,
      settings: { threads: 1 },
    });
    expect(r.outputTokens).toBe(8);
    expect(r.renderedPrompt).toContain('User: what is the diagnosis');
    expect(r.settings.chatTemplate).toBeNull();
  });

  it('a configuration carries a chat template override, and a bad one is refused at the boundary or by name', async () => {
    const tiny = (await call('listModels', {})).models.find((m) => m.path === f.model)!;
    const messages = [{ role: 'user' as const, content: 'what is the diagnosis' }];
    const cfg = await call('saveModelConfig', { name: 'tiny as chatML', modelId: tiny.id, adapters: [], settings: { threads: 1, chatTemplate: 'chatML' } });
    expect(cfg.settings.chatTemplate).toBe('chatML');
    expect((await call('listModelConfigs', {})).find((c) => c.id === cfg.id)?.settings.chatTemplate).toBe('chatML');
    const r = await call('generate', { configId: cfg.id, messages, maxTokens: 4 });
    expect(squash(r.renderedPrompt)).toContain(squash('<|im_start|>user\nwhat is the diagnosis<|im_end|>'));
    expect(r.settings.chatTemplate).toBe('chatML');
    const unknown = await callError('generate', { model: f.model, messages, maxTokens: 2, settings: { threads: 1, chatTemplate: 'llama9' } });
    expect(unknown.code).toBe('invalid_input');
    expect(unknown.message).toMatch(/unknown chat template "llama9"/);
    const empty = await callError('generate', { model: f.model, messages, maxTokens: 2, settings: { threads: 1, chatTemplate: '  ' } });
    expect(empty.code).toBe('invalid_input');
    expect(empty.message).toMatch(/chatTemplate/);
    expect(await call('removeModelConfig', { id: cfg.id })).toBe(true);
  });

  it('cuts a long prompt only by the policy asked for, and says so in the output', async () => {
    const prompt = 'the patient has a fever and a cough '.repeat(20);
    const refused = await callError('generate', { model: f.model, prompt, maxTokens: 4, maxPromptTokens: 16, settings: { threads: 1 } });
    expect(refused.code).toBe('invalid_input');
    expect(refused.message).toMatch(/more than maxPromptTokens \(16\).*truncation policy/);
    const r = await call('generate', { model: f.model, prompt, maxTokens: 4, maxPromptTokens: 16, truncate: 'keep-end', settings: { threads: 1 } });
    expect(r.promptTokens).toBe(16);
    expect(r.truncation).toMatchObject({ policy: 'keep-end', removedTokens: r.truncation!.originalTokens - 16 });
    const plain = await call('generate', { model: f.model, prompt: 'the patient', maxTokens: 4, settings: { threads: 1 } });
    expect(plain.truncation).toBeNull();
    expect((await callError('generate', { model: f.model, prompt, truncate: 'keep-middle' as 'keep-end' })).code).toBe('invalid_input');
  });
});

// The first test needs a machine that cannot reach the Hub (CI's and this project's); online, it
// would start a real download. pullOffline.test.ts covers the same answers on any machine.
const hubReachable = await fetch('https://huggingface.co/', { method: 'HEAD', redirect: 'manual', signal: AbortSignal.timeout(3000) }).then(
  () => true,
  () => false,
);
if (hubReachable) console.warn('skipped "fails fast and plainly when offline": huggingface.co is reachable from this machine');

describe('pullModel', () => {
  it.skipIf(hubReachable)('fails fast and plainly when offline', async () => {
    const started = performance.now();
    const err = await callError('pullModel', { uri: 'hf:bartowski/SmolLM2-135M-Instruct-GGUF:Q4_K_M', timeoutMs: 5000 });
    expect(performance.now() - started).toBeLessThan(8000);
    expect(err.code).toBe('not_found');
    expect(err.message).toMatch(/^offline: cannot reach huggingface\.co; copy the \.gguf file to this machine and use `medtask models add PATH`/);
    const bad = await callError('pullModel', { uri: 'ftp://example.com/x.gguf' });
    expect(bad.code).toBe('invalid_input');
  });

  it('downloads with progress events, keeps a cancelled download and resumes it', async () => {
    // A real GGUF padded to 48 MB: the downloader fetches 5 MB parts over several connections and
    // writes its partial file as parts complete, so the file must be big enough to hold some.
    const source = join(dir, 'pull-source.gguf');
    await writeTinyModel(source, { ...TINY, seed: 21 });
    await appendFile(source, Buffer.alloc(48 * 1024 * 1024));
    const total = (await stat(source)).size;
    const server = await serveFile(source, { delayMs: 2 });
    try {
      const uri = server.url('pulled-tiny.gguf');
      const seen: { downloadedBytes: number; totalBytes: number }[] = [];
      let cancelled = false;
      const off = core.on('pullProgress', (p) => {
        if (p.pullId !== 'pull-1') return;
        seen.push(p);
        if (!cancelled && p.downloadedBytes > total / 2) {
          cancelled = true;
          void call('cancelPull', { pullId: 'pull-1' });
        }
      });
      const err = await callError('pullModel', { uri, pullId: 'pull-1', timeoutMs: 10_000 });
      off();
      expect(err.message).toMatch(/was cancelled; the partial file is kept and the next pull resumes it/);
      expect(seen.length).toBeGreaterThan(1);
      expect(seen.every((p) => p.totalBytes === total)).toBe(true);
      const partial = join(dir, 'home', 'models', 'pulled-tiny.gguf.ipull');
      expect((await stat(partial)).size).toBeGreaterThan(0);
      expect(await call('cancelPull', { pullId: 'pull-1' })).toBe(false);

      const before = server.requests.length;
      const last: number[] = [];
      const off2 = core.on('pullProgress', (p) => p.pullId === 'pull-2' && last.push(p.downloadedBytes));
      const done = await call('pullModel', { uri, pullId: 'pull-2', timeoutMs: 10_000 });
      off2();
      expect(done.resumedBytes).toBeGreaterThan(0);
      expect(last.at(-1)).toBe(total);
      // Only the missing ranges were asked for the second time.
      expect(server.requests.slice(before).some((r) => /^GET bytes=(?!0-)\d+-/.test(r))).toBe(true);
      // Byte for byte (Buffer.equals: a deep toEqual over 50 MB would take minutes).
      expect((await readFile(done.path)).equals(await readFile(source))).toBe(true);
      expect(done.record).toMatchObject({ kind: 'model', path: done.path });
    } finally {
      await server.close();
    }
  });
});
