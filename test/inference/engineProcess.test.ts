/**
 * The engine child process behind the host's engine API: the real child (node-llama-cpp) answers
 * with the same results, streams, progress, cancellation and typed errors as the in-process
 * engine; a child that aborts natively (process.abort(), as llama.cpp's GGML_ASSERT does) is
 * reported as "this model crashed the inference engine" with its last words, and the next call
 * starts a fresh child.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineCrashedError, EngineProcess } from '../../src/core/inference/child/engineProcess';
import { forkEntry } from '../../src/core/inference/child/transport';
import { InferenceEngine, PromptTooLongError } from '../../src/core/inference/engine';
import { ModelFileError } from '../../src/core/gguf/errors';
import { makeFixtures, type Fixtures } from '../models/fixtures';
import { tempDir } from '../helpers';

let fx: Fixtures;
let engine: EngineProcess;

beforeAll(async () => {
  fx = await makeFixtures();
  engine = new EngineProcess({ threads: 1 });
});

afterAll(async () => {
  await engine?.dispose();
  await fx?.cleanup();
});

describe('EngineProcess with the real engine child', () => {
  it('generates what the in-process engine generates, streaming tokens, in another process', async () => {
    const local = new InferenceEngine({ threads: 1 });
    const want = await local.generate({ modelPath: fx.model, prompt: 'the patient', maxTokens: 12 });
    await local.dispose();
    const progress: number[] = [];
    await engine.loadModel(fx.model, { onProgress: (p) => progress.push(p) });
    expect(progress.at(-1)).toBe(1);
    const tokens: string[] = [];
    const got = await engine.generate({ modelPath: fx.model, prompt: 'the patient', maxTokens: 12, onToken: (t) => tokens.push(t) });
    expect(got.text).toBe(want.text);
    expect(tokens.join('')).toBe(got.text);
    expect(engine.pid).toBeGreaterThan(0);
    expect(engine.pid).not.toBe(process.pid);
    expect((await engine.loadedModels()).map((m) => m.path)).toEqual([fx.model]);
    const batch = await engine.generateBatch(
      [0, 1, 2].map(() => ({ modelPath: fx.model, prompt: 'the patient', maxTokens: 12 })),
      { parallel: 2 },
    );
    expect(batch.map((r) => (r.status === 'fulfilled' ? r.value.text : r.reason.message))).toEqual([want.text, want.text, want.text]);
  });

  it('cancels by message and rebuilds typed errors', async () => {
    const controller = new AbortController();
    const pending = engine.generate({
      modelPath: fx.model,
      prompt: 'the patient',
      maxTokens: 1500,
      signal: controller.signal,
      onToken: () => controller.abort(),
    });
    expect((await pending).stopReason).toBe('abort');
    const missing = await engine.generate({ modelPath: fx.missing, prompt: 'x' }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ModelFileError);
    expect((missing as ModelFileError).problem).toBe('not_found');
    const long = await engine.generate({ modelPath: fx.model, prompt: 'the patient '.repeat(2000), maxTokens: 8, contextSize: 256 }).catch((e: unknown) => e);
    expect(long).toBeInstanceOf(PromptTooLongError);
    expect((long as PromptTooLongError).contextSize).toBe(256);
  });
});

describe('a child that aborts natively', () => {
  it('is reported as a crashed engine, and the next call starts a fresh child', async () => {
    // Stands in for llama.cpp hitting an assertion: prints like GGML_ASSERT, then abort() (SIGABRT).
    const script = join(tempDir('medtask-abort-child-'), 'abortingChild.mjs');
    await writeFile(
      script,
      `process.on('message', (m) => {
        if (m.type !== 'call') return;
        if (m.method === 'loadModel') { process.stderr.write('llama.cpp:123: GGML_ASSERT(n_layer <= 512) failed\\n'); process.abort(); }
        process.send({ type: 'result', id: m.id, value: [1, 2, 3] });
      });
      process.on('disconnect', () => process.exit(0));
      process.send({ type: 'ready', pid: process.pid });\n`,
    );
    const aborting = new EngineProcess({ transport: (env) => forkEntry(script, env) });
    try {
      const err = await aborting.loadModel('/models/crafted.gguf').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(EngineCrashedError);
      const crash = err as EngineCrashedError;
      expect(crash.message).toMatch(
        /^This model crashed the inference engine \(crafted\.gguf\): the engine process was ended by SIGABRT after reporting: llama\.cpp:123: GGML_ASSERT\(n_layer <= 512\) failed\./,
      );
      expect(crash.domainKind).toBe('unsupported');
      expect(crash.details).toMatchObject({ engine: 'crashed', file: '/models/crafted.gguf', signal: 'SIGABRT' });
      expect(aborting.pid).toBeUndefined();
      expect(await aborting.tokenize('/models/other.gguf', 'x')).toEqual([1, 2, 3]);
      expect(aborting.starts).toBe(2);
    } finally {
      await aborting.dispose();
    }
  });
});
