import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readGgufFileInfo } from 'node-llama-cpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GgufWriter } from '../tooling/ggufWriter';
import { buildTinyLora, buildTinyModel, buildTinyVocab, gaussian, mulberry32 } from '../tooling/tinyModel';
import { TINY } from './fixtures';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'medtask-gguf-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('GgufWriter', () => {
  it('writes every metadata value type and aligned F32 tensors that node-llama-cpp reads back', async () => {
    const w = new GgufWriter();
    w.set('t.u8', { type: 'u8', value: 250 })
      .set('t.i8', { type: 'i8', value: -5 })
      .set('t.u16', { type: 'u16', value: 65000 })
      .set('t.i16', { type: 'i16', value: -30000 })
      .u32('t.u32', 4_000_000_000)
      .i32('t.i32', -2_000_000_000)
      .f32('t.f32', 0.5)
      .bool('t.bool', true)
      .string('t.string', 'héllo ▁world')
      .u64('t.u64', 2n ** 40n)
      .set('t.i64', { type: 'i64', value: -(2n ** 40n) })
      .set('t.f64', { type: 'f64', value: Math.PI })
      .array('t.arr_str', 'string', ['a', 'bc', ''])
      .array('t.arr_i32', 'i32', [1, -2, 3])
      .array('t.arr_f32', 'f32', [0.25, -1]);
    w.string('general.architecture', 'llama');
    w.addTensor('a', [3], new Float32Array([1, 2, 3]));
    w.addTensor('b', [5, 2], new Float32Array(10).fill(0.5));
    const path = join(dir, 'types.gguf');
    const size = await w.write(path);
    const info = await readGgufFileInfo(path, { logWarnings: false });
    const t = (info.metadata as unknown as { t: Record<string, unknown> }).t;
    expect(info.version).toBe(3);
    expect(t.u8).toBe(250);
    expect(t.i8).toBe(-5);
    expect(t.u16).toBe(65000);
    expect(t.i16).toBe(-30000);
    expect(t.u32).toBe(4_000_000_000);
    expect(t.i32).toBe(-2_000_000_000);
    expect(t.f32).toBe(0.5);
    expect(t.bool).toBe(true);
    expect(t.string).toBe('héllo ▁world');
    expect(BigInt(t.u64 as bigint)).toBe(2n ** 40n);
    expect(BigInt(t.i64 as bigint)).toBe(-(2n ** 40n));
    expect(t.f64).toBeCloseTo(Math.PI, 12);
    expect(t.arr_str).toEqual(['a', 'bc', '']);
    expect(t.arr_i32).toEqual([1, -2, 3]);
    expect(t.arr_f32).toEqual([0.25, -1]);
    expect((info.metadata.general as { alignment?: number }).alignment).toBe(32);
    const tensors = info.tensorInfo ?? [];
    expect(tensors.map((x) => x.name)).toEqual(['a', 'b']);
    expect(tensors.map((x) => Number(x.offset))).toEqual([0, 32]);
    expect(Number(info.infoEndOffset) % 32).toBe(0);
    expect(size).toBe(Number(info.infoEndOffset) + 32 + 64);
  });

  it('rejects bad input', () => {
    const w = new GgufWriter();
    expect(() => w.addTensor('x', [2, 2], new Float32Array(3))).toThrow(/need 4 values/);
    expect(() => w.u32('k', -1).toBuffer()).toThrow();
    expect(() => new GgufWriter({ alignment: 3 })).toThrow(/alignment/);
  });
});

describe('tiny model', () => {
  it('is byte-identical for the same options and differs by seed', () => {
    const a = buildTinyModel(TINY);
    const b = buildTinyModel(TINY);
    expect(a.equals(b)).toBe(true);
    expect(a.equals(buildTinyModel({ ...TINY, seed: 8 }))).toBe(false);
    expect(buildTinyLora(TINY, { seed: 1 }).equals(buildTinyLora(TINY, { seed: 1 }))).toBe(true);
    expect(buildTinyLora(TINY, { seed: 1 }).equals(buildTinyLora(TINY, { seed: 2 }))).toBe(false);
  });

  it('has an SPM vocabulary with control, byte and ordinary tokens', () => {
    const v = buildTinyVocab();
    expect(v.tokens.slice(0, 3)).toEqual(['<unk>', '<s>', '</s>']);
    expect(v.tokens[3]).toBe('<0x00>');
    expect(v.tokens[258]).toBe('<0xFF>');
    expect(v.types.slice(3, 259).every((t) => t === 6)).toBe(true);
    expect(v.firstOrdinary).toBe(259);
    expect(v.tokens).toContain('▁patient');
    for (let i = v.firstOrdinary + 1; i < v.scores.length; i++) expect(v.scores[i]).toBeLessThan(v.scores[i - 1] ?? 0);
    expect(new Set(v.tokens).size).toBe(v.tokens.length);
  });

  it('has a seeded PRNG that repeats', () => {
    const a = mulberry32(5);
    const b = mulberry32(5);
    for (let i = 0; i < 10; i++) expect(a()).toBe(b());
    const g = gaussian(9);
    const xs = Array.from({ length: 4000 }, () => g());
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length;
    expect(Math.abs(mean)).toBeLessThan(0.1);
    expect(variance).toBeGreaterThan(0.9);
    expect(variance).toBeLessThan(1.1);
  });

  it('writes llama metadata, a chat template and LoRA pairs with llama.cpp shapes', async () => {
    const path = join(dir, 'm.gguf');
    const loraPath = join(dir, 'l.gguf');
    const { writeTinyModel, writeTinyLora } = await import('../tooling/tinyModel');
    await writeTinyModel(path, TINY);
    await writeTinyLora(loraPath, TINY, { rank: 3, alpha: 6 });
    const info = await readGgufFileInfo(path, { logWarnings: false });
    const meta = info.metadata as unknown as Record<string, Record<string, unknown>>;
    expect(meta.general?.architecture).toBe('llama');
    expect(meta.llama?.block_count).toBe(2);
    expect(meta.llama?.embedding_length).toBe(64);
    expect((meta.llama?.attention as Record<string, unknown>).head_count_kv).toBe(2);
    expect(typeof meta.tokenizer?.chat_template).toBe('string');
    expect(info.tensorInfo?.length).toBe(2 + 2 * 9 + 1);
    const lora = await readGgufFileInfo(loraPath, { logWarnings: false });
    const lmeta = lora.metadata as unknown as Record<string, Record<string, unknown>>;
    expect(lmeta.general?.type).toBe('adapter');
    expect(lmeta.adapter?.type).toBe('lora');
    expect((lmeta.adapter?.lora as Record<string, unknown>).alpha).toBe(6);
    const byName = new Map((lora.tensorInfo ?? []).map((t) => [t.name, t.dimensions.map(Number)]));
    expect(byName.get('blk.0.attn_q.weight.lora_a')).toEqual([64, 3]);
    expect(byName.get('blk.0.attn_q.weight.lora_b')).toEqual([3, 64]);
    expect(byName.get('blk.1.attn_k.weight.lora_b')).toEqual([3, 32]);
    expect(byName.get('blk.1.ffn_down.weight.lora_a')).toEqual([128, 3]);
    expect(byName.get('blk.1.ffn_down.weight.lora_b')).toEqual([3, 64]);
  });
});
