import { stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelFileError } from '../../src/core/gguf/errors';
import { GgufWriter } from '../tooling/ggufWriter';
import { inspectModelFile, resolveSplitParts } from '../../src/core/gguf/inspect';
import { buildTinyVocab } from '../tooling/tinyModel';
import { makeFixtures, TINY } from './fixtures';
import type { Fixtures } from './fixtures';

let fx: Fixtures;
beforeAll(async () => {
  fx = await makeFixtures();
});
afterAll(async () => {
  await fx.cleanup();
});

/** Parameters of the tiny model computed from its shapes. */
function tinyParams(): number {
  const embd = TINY.embd ?? 64;
  const ff = TINY.ff ?? 128;
  const heads = TINY.heads ?? 4;
  const kvDim = (TINY.kvHeads ?? heads) * (embd / heads);
  const vocab = buildTinyVocab().tokens.length;
  const perLayer = 2 * embd + embd * embd * 2 + 2 * embd * kvDim + 3 * embd * ff;
  return 2 * embd * vocab + (TINY.layers ?? 2) * perLayer + embd;
}

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
  expect(mfe.file).toBe(file);
  expect(mfe.message).toContain(file);
  return mfe;
}

describe('inspectModelFile', () => {
  it('reports architecture, parameters, context, file type and template of a model', async () => {
    const info = await inspectModelFile(fx.model);
    expect(info.kind).toBe('model');
    expect(info.architecture).toBe('llama');
    expect(info.architectureSupported).toBe(true);
    expect(info.parameterCount).toBe(tinyParams());
    expect(info.trainContextLength).toBe(2048);
    expect(info.embeddingLength).toBe(64);
    expect(info.layerCount).toBe(2);
    expect(info.headCount).toBe(4);
    expect(info.headCountKv).toBe(2);
    expect(info.vocabularySize).toBe(buildTinyVocab().tokens.length);
    expect(info.fileType).toBe(0);
    expect(info.fileTypeName).toBe('ALL_F32');
    expect(info.dominantTensorType).toBe('F32');
    expect(info.tokenizerModel).toBe('llama');
    expect(info.hasChatTemplate).toBe(true);
    expect(info.sizeBytes).toBe((await stat(fx.model)).size);
    expect(info.parts).toEqual([fx.model]);
    expect(info.ggufVersion).toBe(3);
  });

  it('recognises a LoRA adapter', async () => {
    const info = await inspectModelFile(fx.lora);
    expect(info.kind).toBe('adapter');
    expect(info.adapterType).toBe('lora');
    expect(info.loraAlpha).toBe(8);
    expect(info.architecture).toBe('llama');
    expect(info.tensorCount).toBe(2 * 2 * 7);
    expect(info.trainContextLength).toBeUndefined();
  });

  it('names the file for missing, non-GGUF and truncated files', async () => {
    await expectProblem(inspectModelFile(fx.missing), 'not_found', fx.missing);
    const notGguf = await expectProblem(inspectModelFile(fx.notGguf), 'not_gguf', fx.notGguf);
    expect(notGguf.message).toMatch(/not a GGUF/);
    await expectProblem(inspectModelFile(fx.truncatedHeader), 'truncated', fx.truncatedHeader);
    const data = await expectProblem(inspectModelFile(fx.truncatedData), 'truncated', fx.truncatedData);
    expect(data.message).toMatch(/tensor "output.weight"/);
    expect(data.domainKind).toBe('invalid_input');
  });

  it('flags an architecture llama.cpp does not know', async () => {
    const info = await inspectModelFile(fx.unsupportedArch);
    expect(info.architecture).toBe('frobnicator');
    expect(info.architectureSupported).toBe(false);
  });

  it('handles split models (-0000N-of-0000M) from any part', async () => {
    expect(resolveSplitParts('/m/x-00002-of-00003.gguf')).toEqual(['/m/x-00001-of-00003.gguf', '/m/x-00002-of-00003.gguf', '/m/x-00003-of-00003.gguf']);
    expect(resolveSplitParts('/m/x.gguf')).toEqual(['/m/x.gguf']);

    const p1 = join(fx.dir, 'split-00001-of-00002.gguf');
    const p2 = join(fx.dir, 'split-00002-of-00002.gguf');
    const a = new GgufWriter();
    a.string('general.architecture', 'llama').u32('llama.context_length', 512).u32('general.file_type', 0);
    a.set('split.no', { type: 'u16', value: 0 }).set('split.count', { type: 'u16', value: 2 }).i32('split.tensors.count', 2);
    a.addTensor('token_embd.weight', [8, 4], new Float32Array(32));
    await a.write(p1);
    const b = new GgufWriter();
    b.set('split.no', { type: 'u16', value: 1 }).set('split.count', { type: 'u16', value: 2 }).i32('split.tensors.count', 2);
    b.addTensor('output.weight', [8, 4], new Float32Array(32));
    await b.write(p2);

    const info = await inspectModelFile(p2);
    expect(info.path).toBe(p1);
    expect(info.parts).toEqual([p1, p2]);
    expect(info.tensorCount).toBe(2);
    expect(info.parameterCount).toBe(64);
    expect(info.sizeBytes).toBe((await stat(p1)).size + (await stat(p2)).size);
    expect(info.trainContextLength).toBe(512);

    await unlink(p2);
    await expectProblem(inspectModelFile(p1), 'split_part_missing', p2);
  });
});
