import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { toHalf } from '../tooling/ggufWriter';
import { writeTinyModel } from '../tooling/tinyModel';
import { InferenceEngine } from '../../src/core/inference/engine';
import { inspectModelFile } from '../../src/core/gguf/inspect';
import { TINY } from './fixtures';
import { tempDir } from '../helpers';

const engine = new InferenceEngine({ threads: 1 });
afterAll(() => engine.dispose());

describe('F16 weights', () => {
  it('converts to binary16 with round-to-nearest-even', () => {
    expect(toHalf(1)).toBe(0x3c00);
    expect(toHalf(-2)).toBe(0xc000);
    expect(toHalf(65504)).toBe(0x7bff);
    expect(toHalf(1e6)).toBe(0x7c00);
    expect(toHalf(2 ** -24)).toBe(0x0001);
    expect(toHalf(0.1)).toBe(0x2e66);
    expect(toHalf(1 + 2 ** -11)).toBe(0x3c00); // tie → even
    expect(toHalf(1 + 3 * 2 ** -11)).toBe(0x3c02); // tie → even (up)
  });

  it('writes a model llama.cpp loads as MOSTLY_F16 and that generates deterministically', async () => {
    const file = path.join(tempDir(), 'tiny-f16.gguf');
    const bytes = await writeTinyModel(file, { ...TINY, weightType: 'f16' });
    const f32 = await writeTinyModel(path.join(tempDir(), 'tiny-f32.gguf'), TINY);
    expect(bytes).toBeLessThan(f32 * 0.6);
    const info = await inspectModelFile(file);
    expect(JSON.stringify(info)).toMatch(/F16/);
    const a = await engine.generate({ modelPath: file, prompt: 'The patient', maxTokens: 12 });
    const b = await engine.generate({ modelPath: file, prompt: 'The patient', maxTokens: 12 });
    expect(a.outputTokens).toBe(12);
    expect(a.text).toBe(b.text);
  });
});

describe('Q8_0 weights', () => {
  it('writes a model llama.cpp loads as Q8_0 that generates deterministically', async () => {
    const file = path.join(tempDir(), 'tiny-q8.gguf');
    const bytes = await writeTinyModel(file, { ...TINY, weightType: 'q8_0' });
    const f32 = await writeTinyModel(path.join(tempDir(), 'tiny-f32b.gguf'), TINY);
    expect(bytes).toBeLessThan(f32 * 0.4);
    expect(JSON.stringify(await inspectModelFile(file))).toMatch(/Q8_0/);
    const a = await engine.generate({ modelPath: file, prompt: 'The patient', maxTokens: 12 });
    const b = await engine.generate({ modelPath: file, prompt: 'The patient', maxTokens: 12 });
    expect(a.outputTokens).toBe(12);
    expect(a.text).toBe(b.text);
  });
});
