/**
 * The 8B-shaped benchmark model: its header (Llama-3-8B's hyper-parameters, Q4_K_M tensor types and
 * sizes) passes our GGUF validator without writing 4.9 GB (the file is sparse past the header), and a
 * reduced shape written by the same streaming writer loads and generates in the real engine.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InferenceEngine } from '../../src/core/inference/engine';
import { readGgufHeader, validateGgufFile } from '../../src/core/gguf/validate';
import { LLAMA3_8B, shapedModelHeader, writeShapedModel } from '../tooling/shapedModel';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medtask-shaped-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('8B-shaped model', () => {
  it('has Llama-3-8B hyper-parameters and Q4_K_M-sized tensors, and passes the GGUF validator (header only)', async () => {
    const { header, dataBytes, tensors, parameters } = shapedModelHeader(LLAMA3_8B);
    const file = path.join(dir, 'llama3-8b-shaped.gguf');
    fs.writeFileSync(file, header);
    // Sparse: the tensor data's size without its bytes, so the validator's bounds checks see a whole file.
    fs.truncateSync(file, header.length + dataBytes);
    const total = header.length + dataBytes;
    console.log(
      `8B-shaped Q4_K_M: ${(total / 1e9).toFixed(2)} GB, ${(parameters / 1e9).toFixed(2)}B parameters, header ${(header.length / 1e6).toFixed(1)} MB`,
    );
    // Meta-Llama-3-8B-Instruct Q4_K_M from llama.cpp's quantize is 4.92 GB with 8.03B parameters.
    expect(total).toBeGreaterThan(4.8e9);
    expect(total).toBeLessThan(5.0e9);
    expect(parameters).toBeGreaterThan(8.0e9);
    expect(parameters).toBeLessThan(8.1e9);
    await expect(validateGgufFile([file])).resolves.toBeUndefined();
    const h = await readGgufHeader(file);
    const kv = (key: string): unknown => h.keyValues.get(key)?.value;
    expect(kv('llama.block_count')).toBe(32);
    expect(kv('llama.embedding_length')).toBe(4096);
    expect(kv('llama.feed_forward_length')).toBe(14336);
    expect(kv('llama.attention.head_count')).toBe(32);
    expect(kv('llama.attention.head_count_kv')).toBe(8);
    expect(kv('llama.rope.freq_base')).toBe(500000);
    expect(kv('general.file_type')).toBe(15);
    expect(h.keyValues.get('tokenizer.ggml.tokens')?.array?.length).toBe(128256);
    expect(h.tensors).toHaveLength(tensors.length);
    const type = (name: string): number | undefined => h.tensors.find((t) => t.name === name)?.type;
    expect([type('token_embd.weight'), type('output.weight'), type('blk.0.attn_v.weight'), type('blk.5.attn_v.weight'), type('blk.5.attn_q.weight')]).toEqual([
      12, 14, 14, 12, 12,
    ]);
    expect(h.tensors.find((t) => t.name === 'blk.0.ffn_down.weight')?.dims).toEqual([14336, 4096]);
    expect(fs.statSync(file).blocks * 512).toBeLessThan(64e6); // nothing past the header was written
  });

  it('streams a reduced shape that the engine loads and generates from', async () => {
    const file = path.join(dir, 'reduced.gguf');
    const shape = { ...LLAMA3_8B, name: 'reduced', layers: 2, embd: 512, ff: 1024, heads: 8, kvHeads: 2, vocab: 8192 };
    const { bytes } = await writeShapedModel(file, shape);
    expect(fs.statSync(file).size).toBe(bytes);
    await validateGgufFile([file]);
    const engine = new InferenceEngine({ gpu: false, threads: 1 });
    try {
      const loaded = await engine.loadModel(file, { gpuLayers: 0 });
      expect(loaded.architecture).toBe('llama');
      const res = await engine.generate({ modelPath: file, prompt: 'the patient was admitted', maxTokens: 8, contextSize: 256 });
      console.log(`reduced shaped model: ${res.outputTokens} tokens (${res.stopReason}), ${res.tokensPerSecond.toFixed(0)} tokens/s`);
      expect(res.outputTokens).toBeGreaterThan(0);
    } finally {
      await engine.dispose();
    }
  }, 60_000);
});
