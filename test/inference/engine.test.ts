import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTinyModel } from '../tooling/tinyModel';
import { ModelFileError } from '../../src/core/gguf/errors';
import { InferenceEngine, PromptTooLongError } from '../../src/core/inference/engine';
import type { GenerateRequest } from '../../src/core/inference/engine';
import { makeFixtures } from '../models/fixtures';
import type { Fixtures } from '../models/fixtures';

let fx: Fixtures;
let engine: InferenceEngine;
const useGpu = process.env.MEDTASK_TEST_GPU === '1';

beforeAll(async () => {
  fx = await makeFixtures();
  // One thread: fastest for a tiny model and immune to CPU contention from other test workers.
  // MEDTASK_TEST_GPU=1 runs the same checks on the GPU backend node-llama-cpp picks.
  engine = new InferenceEngine({ gpu: useGpu ? 'auto' : false, threads: 1, contextSize: 512, reusePrefix: false });
});
afterAll(async () => {
  await engine?.dispose();
  await fx?.cleanup();
});

const prompts = ['the patient has a fever', 'what is the diagnosis', 'chest pain and cough'];

async function expectProblem(promise: Promise<unknown>, problem: string, file: string): Promise<ModelFileError> {
  const err = await promise.then(
    () => {
      throw new Error('expected a ModelFileError');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ModelFileError);
  const mfe = err as ModelFileError;
  expect(mfe.problem).toBe(problem);
  expect(mfe.message).toContain(file);
  return mfe;
}

/** The rendered prompt is detokenized: the tiny SPM vocabulary adds spaces around text it has no token for, so whitespace is left out of the comparison. */
const squash = (s: string): string => s.replace(/\s+/g, '');

describe('InferenceEngine', () => {
  it('reports the backend', async () => {
    const info = await engine.backendInfo();
    if (useGpu) {
      expect(['cuda', 'vulkan', 'metal']).toContain(info.backend);
      expect(info.deviceNames.length).toBeGreaterThan(0);
    } else {
      expect(info.backend).toBe('cpu');
      expect(info.deviceNames).toEqual([]);
    }
    console.info(`[figures] backend ${info.backend} ${info.deviceNames.join(', ')} (llama.cpp ${info.llamaCppRelease})`);
    expect(info.llamaCppRelease).toMatch(/\S/);
  });

  it('loads a model once and caches it', async () => {
    const progress: number[] = [];
    const loaded = await engine.loadModel(fx.model, { onProgress: (p) => progress.push(p) });
    expect(loaded.architecture).toBe('llama');
    expect(loaded.trainContextLength).toBe(2048);
    if (!useGpu) expect(loaded.gpuLayers).toBe(0);
    expect(loaded.hasChatTemplate).toBe(true);
    expect(progress.at(-1)).toBe(1);
    const again = await engine.loadModel(fx.model);
    expect(again).toBe(loaded);
    expect(await engine.loadedModels()).toHaveLength(1);
    console.info(`[figures] tiny model load: ${loaded.loadMs.toFixed(1)} ms (${(loaded.sizeBytes / 1024).toFixed(0)} KiB, ${loaded.parameterCount} params)`);
  });

  it('tokenizes and detokenizes round-trip, with byte fallback', async () => {
    for (const text of ['the patient has a fever', 'Dose: 5 mg daily (left kidney).', 'héllo wörld ✓']) {
      const tokens = await engine.tokenize(fx.model, text);
      expect(tokens.length).toBeGreaterThan(0);
      expect(await engine.detokenize(fx.model, tokens)).toBe(text);
    }
    expect(await engine.tokenize(fx.model, 'patient')).toHaveLength(1);
  });

  it('gives identical greedy output across runs and runs to maxTokens', async () => {
    const req: GenerateRequest = { modelPath: fx.model, prompt: prompts[0], maxTokens: 24, temperature: 0 };
    const a = await engine.generate(req);
    const b = await engine.generate(req);
    expect(a.text.length).toBeGreaterThan(0);
    expect(b.text).toBe(a.text);
    expect(a.stopReason).toBe('maxTokens');
    expect(a.outputTokens).toBe(24);
    expect(a.promptTokens).toBe((await engine.tokenize(fx.model, prompts[0] ?? '')).length + 1);
    expect(a.timeToFirstTokenMs).toBeGreaterThanOrEqual(0);
    expect(a.tokensPerSecond).toBeGreaterThan(0);
    console.info(
      `[figures] greedy 24 tokens: ${a.totalMs.toFixed(1)} ms total, TTFT ${a.timeToFirstTokenMs.toFixed(1)} ms, ${a.tokensPerSecond.toFixed(0)} tokens/s`,
    );
  });

  it('gives the same greedy output when reusing the KV prefix between requests', async () => {
    const other = new InferenceEngine({ gpu: useGpu ? 'auto' : false, threads: 1, contextSize: 512 });
    try {
      const fresh = await engine.generate({ modelPath: fx.model, prompt: prompts[0], maxTokens: 12 });
      const a = await other.generate({ modelPath: fx.model, prompt: prompts[0], maxTokens: 12 });
      const b = await other.generate({ modelPath: fx.model, prompt: prompts[0], maxTokens: 12 });
      const c = await other.generate({ modelPath: fx.model, prompt: `${prompts[0] ?? ''} and`, maxTokens: 12 });
      const cFresh = await engine.generate({ modelPath: fx.model, prompt: `${prompts[0] ?? ''} and`, maxTokens: 12 });
      expect(a.text).toBe(fresh.text);
      expect(b.text).toBe(fresh.text);
      expect(c.text).toBe(cFresh.text);
      expect(fresh.reusedPromptTokens).toBe(0);
      // b repeats a's prompt: all but the last prompt token come from the cache; c extends it.
      expect(b.reusedPromptTokens).toBe(b.promptTokens - 1);
      expect(c.reusedPromptTokens).toBeGreaterThanOrEqual(a.promptTokens - 1);
    } finally {
      await other.dispose();
    }
    expect((await engine.generate({ modelPath: fx.model, prompt: prompts[0], maxTokens: 2 })).outputTokens).toBe(2);
  });

  it('streams text through onToken', async () => {
    const chunks: string[] = [];
    const r = await engine.generate({ modelPath: fx.model, prompt: prompts[1], maxTokens: 10, onToken: (t) => chunks.push(t) });
    expect(chunks.join('')).toBe(r.text);
  });

  it('gives the same greedy output with 1 or 2 parallel sequences', async () => {
    const reqs = prompts.map((prompt): GenerateRequest => ({ modelPath: fx.model, prompt, maxTokens: 16 }));
    const sequential = [];
    for (const r of reqs) sequential.push((await engine.generate(r)).text);
    const one = await engine.generateBatch(reqs, { parallel: 1 });
    const seen: number[] = [];
    const two = await engine.generateBatch(reqs, { parallel: 2, onResult: (i) => seen.push(i) });
    const texts = (rs: typeof one): string[] => rs.map((r) => (r.status === 'fulfilled' ? r.value.text : `ERR ${r.reason.message}`));
    expect(texts(one)).toEqual(sequential);
    expect(texts(two)).toEqual(sequential);
    expect(seen.sort()).toEqual([0, 1, 2]);
    // Concurrent single generations queue on the context's sequences.
    const concurrent = await Promise.all(reqs.map((r) => engine.generate(r)));
    expect(concurrent.map((r) => r.text)).toEqual(sequential);
  });

  it('gives the same greedy output with 4 parallel sequences when generations start and end at different steps', async () => {
    const many = ['fever and cough', 'the diagnosis is', 'chest pain', 'blood pressure high', 'what drug dose', 'lung and heart', 'pain in the liver'];
    const reqs = many.map((prompt, i): GenerateRequest => ({ modelPath: fx.model, prompt, maxTokens: 4 + 5 * i, stop: i === 3 ? ['e'] : [] }));
    const sequential = [];
    for (const r of reqs) sequential.push(await engine.generate(r));
    const streamed: string[] = many.map(() => '');
    const four = await engine.generateBatch(
      reqs.map((r, i) => ({ ...r, onToken: (t: string) => (streamed[i] += t) })),
      { parallel: 4 },
    );
    const values = four.map((r) => (r.status === 'fulfilled' ? r.value : null));
    expect(values.map((v) => v?.text)).toEqual(sequential.map((r) => r.text));
    expect(values.map((v) => v?.outputTokens)).toEqual(sequential.map((r) => r.outputTokens));
    expect(values.map((v) => v?.stopReason)).toEqual(sequential.map((r) => r.stopReason));
    expect(streamed).toEqual(sequential.map((r) => r.text));
  });

  it('evaluates a shared few-shot prefix once and copies it to the other sequences, with unchanged output', async () => {
    const prefix = 'Answer yes, no or maybe. Input: the patient has a fever and cough. Output: yes. Input: chest pain at rest. Output: no. ';
    const inputs = ['blood pressure is high', 'the lung is clear', 'what drug dose', 'pain in the liver', 'heart rate normal', 'cough at night'];
    const reqs = inputs.map((x): GenerateRequest => ({ modelPath: fx.model, prompt: `${prefix}Input: ${x}. Output:`, maxTokens: 6 + inputs.indexOf(x) }));
    const expected = [];
    for (const r of reqs) expected.push(await engine.generate(r)); // engine: reuse off, fresh every time
    const shared = new InferenceEngine({ gpu: useGpu ? 'auto' : false, threads: 1, contextSize: 512 });
    try {
      const results = await shared.generateBatch(reqs, { parallel: 3 });
      const values = results.map((r) => (r.status === 'fulfilled' ? r.value : null));
      expect(values.map((v) => v?.text)).toEqual(expected.map((r) => r.text));
      const prefixTokens = (await engine.tokenize(fx.model, prefix)).length;
      expect(prefixTokens).toBeGreaterThanOrEqual(32);
      // Every request, including the first on each sequence, found the prefix in its cache.
      for (const v of values) expect(v?.reusedPromptTokens).toBeGreaterThanOrEqual(prefixTokens - 1);
    } finally {
      await shared.dispose();
    }
  });

  it('aborts a request still waiting for a free sequence', async () => {
    const controller = new AbortController();
    // A fresh one-sequence context: `waiting` queues behind `first`, which aborts it on its first token.
    const first = engine.generate({ modelPath: fx.model, prompt: prompts[0], maxTokens: 64, contextSize: 384, onToken: () => controller.abort() });
    const waiting = engine.generate({ modelPath: fx.model, prompt: prompts[1], maxTokens: 64, contextSize: 384, signal: controller.signal });
    const [a, b] = await Promise.all([first, waiting]);
    expect(a.stopReason).toBe('maxTokens');
    expect(b.stopReason).toBe('abort');
    expect(b.outputTokens).toBe(0);
  });

  it('is reproducible when sampling with a seed', async () => {
    const req: GenerateRequest = { modelPath: fx.model, prompt: prompts[2], maxTokens: 16, temperature: 0.9, topK: 40, topP: 0.95, seed: 1234 };
    const a = await engine.generate(req);
    const b = await engine.generate(req);
    expect(b.text).toBe(a.text);

    // The seed and temperature are used: other seeds sample other text, and greedy differs from sampled.
    const greedy = await engine.generate({ ...req, temperature: 0 });
    const sampled = new Set<string>([a.text]);
    for (const seed of [1, 2, 3, 4]) sampled.add((await engine.generate({ ...req, seed })).text);
    expect(sampled.size).toBeGreaterThan(1);
    expect([...sampled].some((t) => t !== greedy.text)).toBe(true);
    // Greedy decoding has nothing to draw, so the seed does not change it.
    expect((await engine.generate({ ...req, temperature: 0, seed: 99 })).text).toBe(greedy.text);
  });

  it('generates from chat messages through the model chat template', async () => {
    const r = await engine.generate({
      modelPath: fx.model,
      messages: [
        { role: 'system', content: 'You answer medical questions.' },
        { role: 'user', content: 'what is the diagnosis' },
      ],
      maxTokens: 12,
    });
    expect(r.outputTokens).toBe(12);
    expect(r.text.length).toBeGreaterThan(0);
    const raw = await engine.tokenize(fx.model, 'what is the diagnosis');
    expect(r.promptTokens).toBeGreaterThan(raw.length + 5);
  });

  it('renders messages with a chat template override: a built-in name or Jinja text', async () => {
    const messages = [
      { role: 'system' as const, content: 'You answer medical questions.' },
      { role: 'user' as const, content: 'what is the diagnosis' },
    ];
    const own = await engine.generate({ modelPath: fx.model, messages, maxTokens: 4 });
    expect(squash(own.renderedPrompt)).toContain(squash('User: what is the diagnosis\nAssistant:'));

    const chatML = await engine.generate({ modelPath: fx.model, messages, maxTokens: 4, chatTemplate: 'chatML' });
    expect(squash(chatML.renderedPrompt)).toContain(squash('<|im_start|>user\nwhat is the diagnosis<|im_end|>'));
    expect(squash(chatML.renderedPrompt)).toContain(squash('<|im_start|>system\nYou answer medical questions.'));
    expect(squash(chatML.renderedPrompt)).not.toContain(squash('User: '));

    const jinja = "{% for m in messages %}[{{ m['role'] | upper }}] {{ m['content'] }}\n{% endfor %}{% if add_generation_prompt %}[ASSISTANT] {% endif %}";
    // node-llama-cpp turns Jinja into a chat wrapper by rendering sample turns; the generation prompt
    // is the model turn's own opening, which is what add_generation_prompt gives in real templates.
    const custom = await engine.generate({ modelPath: fx.model, messages, maxTokens: 4, chatTemplate: jinja });
    expect(squash(custom.renderedPrompt)).toContain(squash('[SYSTEM] You answer medical questions.\n[USER] what is the diagnosis\n[ASSISTANT]'));
    // The prompt differs, so (greedy, same model) the token count does too; the model's own template is untouched.
    expect(custom.promptTokens).not.toBe(own.promptTokens);
    const ownAgain = await engine.generate({ modelPath: fx.model, messages, maxTokens: 4 });
    expect(ownAgain.renderedPrompt).toBe(own.renderedPrompt);
    expect(ownAgain.text).toBe(own.text);
  });

  it('refuses an unknown template name and Jinja that does not render, naming the problem', async () => {
    const messages = [{ role: 'user' as const, content: 'what is the diagnosis' }];
    await expect(engine.generate({ modelPath: fx.model, messages, maxTokens: 2, chatTemplate: 'llama9' })).rejects.toThrow(
      /unknown chat template "llama9".*chatML/,
    );
    await expect(engine.generate({ modelPath: fx.model, messages, maxTokens: 2, chatTemplate: '{% for m in messages %}{{ m.content }' })).rejects.toThrow(
      /not a usable Jinja template/,
    );
    await expect(engine.checkChatTemplate(fx.model, 'llama9')).rejects.toThrow(/unknown chat template/);
    await expect(engine.checkChatTemplate(fx.model, 'llama3')).resolves.toBeUndefined();
  });

  it('never cuts a long prompt silently: an error, or the chosen policy, recorded with the output', async () => {
    const head = 'the patient has a fever';
    const tail = 'chest pain and cough';
    const prompt = `${head} ${'and the patient has a cough '.repeat(120)}${tail}`;
    const n = (await engine.tokenize(fx.model, prompt)).length + 1; // + BOS
    expect(n).toBeGreaterThan(512);
    const refused = await engine.generate({ modelPath: fx.model, prompt, maxTokens: 8 }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(PromptTooLongError);
    expect((refused as Error).message).toMatch(/context.*truncation policy/s);

    const budget = 512 - 8;
    const start = await engine.generate({ modelPath: fx.model, prompt, maxTokens: 8, truncate: 'keep-start' });
    expect(start.promptTokens).toBe(budget);
    expect(start.truncation).toEqual({ policy: 'keep-start', originalTokens: n, removedTokens: n - budget });
    expect(squash(start.renderedPrompt)).toContain(squash(head));
    expect(squash(start.renderedPrompt)).not.toContain(squash(tail));
    const end = await engine.generate({ modelPath: fx.model, prompt, maxTokens: 8, truncate: 'keep-end' });
    expect(end.promptTokens).toBe(budget);
    expect(squash(end.renderedPrompt).endsWith(squash(tail))).toBe(true);
    expect(squash(end.renderedPrompt)).not.toContain(squash(head));
    const both = await engine.generate({ modelPath: fx.model, prompt, maxTokens: 8, truncate: 'keep-both', maxPromptTokens: 64 });
    expect(both.promptTokens).toBe(64);
    expect(both.truncation?.removedTokens).toBe(n - 64);
    expect(squash(both.renderedPrompt)).toContain(squash(head));
    expect(squash(both.renderedPrompt).endsWith(squash(tail))).toBe(true);
    // Deterministic: the same cut gives the same greedy text.
    expect((await engine.generate({ modelPath: fx.model, prompt, maxTokens: 8, truncate: 'keep-end' })).text).toBe(end.text);

    // Chat messages cut from the end keep the template's generation prompt, so the model still answers.
    const messages = [
      { role: 'system' as const, content: 'You answer medical questions.' },
      { role: 'user' as const, content: prompt },
    ];
    const chat = await engine.generate({ modelPath: fx.model, messages, maxTokens: 8, truncate: 'keep-start', maxPromptTokens: 96 });
    expect(chat.promptTokens).toBe(96);
    expect(squash(chat.renderedPrompt).startsWith(squash('<s>You answer medical questions.'))).toBe(true);
    expect(squash(chat.renderedPrompt).endsWith(squash('Assistant:'))).toBe(true);
    expect(squash(chat.renderedPrompt)).not.toContain(squash(tail));

    // A budget below the context: refused by name when no policy is chosen; a prompt within it is untouched.
    await expect(engine.generate({ modelPath: fx.model, prompt: head, maxTokens: 4, maxPromptTokens: 3 })).rejects.toThrow(/more than maxPromptTokens \(3\)/);
    const fits = await engine.generate({ modelPath: fx.model, prompt: head, maxTokens: 4, maxPromptTokens: 64, truncate: 'keep-end' });
    expect(fits.truncation).toBeUndefined();
  });

  it('stops on a stop string without including it', async () => {
    const full = await engine.generate({ modelPath: fx.model, prompt: prompts[0], maxTokens: 24 });
    const words = full.text.trim().split(/\s+/);
    const stop = words[Math.floor(words.length / 2)] ?? '';
    expect(stop.length).toBeGreaterThan(0);
    const cut = await engine.generate({ modelPath: fx.model, prompt: prompts[0], maxTokens: 24, stop: [stop] });
    expect(cut.stopReason).toBe('stop');
    expect(full.text.startsWith(cut.text)).toBe(true);
    expect(cut.text).not.toContain(stop);
    expect(cut.outputTokens).toBeLessThan(24);
  });

  it('aborts through an AbortSignal and keeps the text so far', async () => {
    const controller = new AbortController();
    let n = 0;
    const r = await engine.generate({
      modelPath: fx.model,
      prompt: prompts[0],
      maxTokens: 200,
      signal: controller.signal,
      onToken: () => {
        if (++n === 3) controller.abort();
      },
    });
    expect(r.stopReason).toBe('abort');
    expect(r.outputTokens).toBeLessThan(200);
    const pre = await engine.generate({ modelPath: fx.model, prompt: prompts[0], signal: AbortSignal.abort() });
    expect(pre).toMatchObject({ stopReason: 'abort', text: '', outputTokens: 0 });
    // The engine still works afterwards.
    const after = await engine.generate({ modelPath: fx.model, prompt: prompts[0], maxTokens: 4 });
    expect(after.outputTokens).toBe(4);
  });

  it('changes the output with a LoRA adapter on the same loaded model', async () => {
    const req: GenerateRequest = { modelPath: fx.model, prompt: prompts[0], maxTokens: 24 };
    const base = await engine.generate(req);
    const withLora = await engine.generate({ ...req, loraPaths: [{ path: fx.lora }] });
    const withLoraAgain = await engine.generate({ ...req, loraPaths: [{ path: fx.lora }] });
    const baseAgain = await engine.generate(req);
    expect(withLora.text).not.toBe(base.text);
    expect(withLoraAgain.text).toBe(withLora.text);
    expect(baseAgain.text).toBe(base.text);
    const zeroScale = await engine.generate({ ...req, loraPaths: [{ path: fx.lora, scale: 0 }] });
    expect(zeroScale.text).toBe(base.text);
    expect(await engine.loadedModels()).toHaveLength(1);
  });

  it('refuses a prompt longer than the context, naming the token counts', async () => {
    const long = 'the patient has a fever and a cough '.repeat(60);
    const n = (await engine.tokenize(fx.model, long)).length + 1;
    const err = await engine.generate({ modelPath: fx.model, prompt: long, maxTokens: 8, contextSize: 256 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PromptTooLongError);
    expect((err as PromptTooLongError).promptTokens).toBe(n);
    expect((err as Error).message).toContain(`${n} tokens`);
    expect((err as Error).message).toContain('256');
    const err2 = await engine.generate({ modelPath: fx.model, prompt: 'the patient', maxTokens: 600 }).catch((e: unknown) => e);
    expect(err2).toBeInstanceOf(PromptTooLongError);
    expect((err2 as Error).message).toMatch(/maxTokens \(600\).*512/);
    const batch = await engine.generateBatch(
      [
        { modelPath: fx.model, prompt: long, maxTokens: 8, contextSize: 256 },
        { modelPath: fx.model, prompt: 'the', maxTokens: 2 },
      ],
      { parallel: 2 },
    );
    expect(batch[0]?.status).toBe('rejected');
    expect(batch[1]?.status).toBe('fulfilled');
  });

  it('gives a clear error naming the file for bad model files', async () => {
    await expectProblem(engine.loadModel(fx.missing), 'not_found', fx.missing);
    await expectProblem(engine.loadModel(fx.notGguf), 'not_gguf', fx.notGguf);
    await expectProblem(engine.loadModel(fx.truncatedHeader), 'truncated', fx.truncatedHeader);
    await expectProblem(engine.loadModel(fx.truncatedData), 'truncated', fx.truncatedData);
    const arch = await expectProblem(engine.loadModel(fx.unsupportedArch), 'unsupported_architecture', fx.unsupportedArch);
    expect(arch.message).toContain('frobnicator');
    await expectProblem(engine.loadModel(fx.lora), 'not_a_model', fx.lora);
    await expectProblem(engine.generate({ modelPath: fx.notGguf, prompt: 'x' }), 'not_gguf', fx.notGguf);
  });

  it('gives a clear error for bad LoRA adapters', async () => {
    const req: GenerateRequest = { modelPath: fx.model, prompt: 'the', maxTokens: 2 };
    await expectProblem(engine.generate({ ...req, loraPaths: [{ path: fx.missing }] }), 'not_found', fx.missing);
    await expectProblem(engine.generate({ ...req, loraPaths: [{ path: fx.model }] }), 'not_an_adapter', fx.model);
    const mismatch = await expectProblem(engine.generate({ ...req, loraPaths: [{ path: fx.loraWrongShape }] }), 'adapter_mismatch', fx.loraWrongShape);
    expect(mismatch.message).toContain(fx.model);
    // The base model is still usable.
    expect((await engine.generate(req)).outputTokens).toBe(2);
  });
});

describe('memory budget', () => {
  it('unloads the least recently used idle model when a new one would not fit', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'medtask-budget-'));
    const a = join(dir, 'a.gguf');
    const b = join(dir, 'b.gguf');
    const size = await writeTinyModel(a, { seed: 21, layers: 2, embd: 64, heads: 4, kvHeads: 2, ff: 128 });
    await writeTinyModel(b, { seed: 22, layers: 2, embd: 64, heads: 4, kvHeads: 2, ff: 128 });
    const budgeted = new InferenceEngine({ threads: 1, maxLoadedBytes: Math.round(size * 2) });
    try {
      await budgeted.generate({ modelPath: a, prompt: 'The patient', maxTokens: 4 });
      expect((await budgeted.loadedModels()).map((m) => m.path)).toEqual([a]);
      await budgeted.generate({ modelPath: b, prompt: 'The patient', maxTokens: 4 });
      expect((await budgeted.loadedModels()).map((m) => m.path)).toEqual([b]);
    } finally {
      await budgeted.dispose();
    }
  });
});
