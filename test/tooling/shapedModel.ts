/**
 * Benchmark-shaped GGUF models of real sizes (Llama-3-8B's hyper-parameters with Q4_K_M-sized tensors),
 * written streaming: the weights are not trained, only their shapes, types and bytes are realistic.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { GgufWriter, toHalf } from './ggufWriter';
import { buildTinyVocab, resolveTinyModelOptions, TOKEN_TYPE, writeTinyModelHeader, type TinyVocab } from './tinyModel';
import { mulberry32 } from '../../src/core/random';

/** ggml types of a Q4_K_M file (ggml.h `enum ggml_type`) with [values per block, bytes per block]. */
const GGML = { F32: { id: 0, block: [1, 4] }, Q4_K: { id: 12, block: [256, 144] }, Q6_K: { id: 14, block: [256, 210] } } as const;
type GgmlName = keyof typeof GGML;

export interface ShapedModelOptions {
  name: string;
  layers: number;
  embd: number;
  ff: number;
  heads: number;
  kvHeads: number;
  vocab: number;
  ropeTheta: number;
  contextLength: number;
}

/** Meta-Llama-3-8B(-Instruct)'s config.json, as llama.cpp's converter writes it. */
export const LLAMA3_8B: ShapedModelOptions = {
  name: 'llama3-8b-shaped-q4_k_m',
  layers: 32,
  embd: 4096,
  ff: 14336,
  heads: 32,
  kvHeads: 8,
  vocab: 128256,
  ropeTheta: 500000,
  contextLength: 8192,
};

/**
 * Llama-3.2-1B(-Instruct)'s config.json: the smallest model a clinician is likely to run, so the shape where
 * the engine's fixed cost per token weighs most. (The real file ties output to token_embd; this one writes
 * output.weight as Q6_K like the 8B, ~0.3 GB more to read per token, which only makes generation slower.)
 */
export const LLAMA32_1B: ShapedModelOptions = {
  name: 'llama3.2-1b-shaped-q4_k_m',
  layers: 16,
  embd: 2048,
  ff: 8192,
  heads: 32,
  kvHeads: 8,
  vocab: 128256,
  ropeTheta: 500000,
  contextLength: 8192,
};

export interface ShapedTensor {
  name: string;
  dims: number[];
  type: GgmlName;
  bytes: number;
}

/**
 * llama.cpp's Q4_K_M recipe (llama-quant.cpp): Q4_K everywhere, Q6_K for the output matrix and for
 * attn_v and ffn_down in the layers `use_more_bits` picks (the first and last eighth, every third between).
 */
function useMoreBits(i: number, n: number): boolean {
  return i < n / 8 || i >= (7 * n) / 8 || (i - Math.floor(n / 8)) % 3 === 2;
}

function tensor(name: string, dims: number[], type: GgmlName): ShapedTensor {
  const [per, bytes] = GGML[type].block;
  const elements = dims.reduce((a, b) => a * b, 1);
  if ((dims[0] ?? 0) % per !== 0) throw new RangeError(`${name}: rows of ${dims[0]} values are not whole ${type} blocks of ${per}`);
  return { name, dims, type, bytes: (elements / per) * bytes };
}

export function shapedTensors(o: ShapedModelOptions): ShapedTensor[] {
  const headDim = o.embd / o.heads;
  const kv = o.kvHeads * headDim;
  const out = [tensor('token_embd.weight', [o.embd, o.vocab], 'Q4_K')];
  for (let l = 0; l < o.layers; l++) {
    const more = useMoreBits(l, o.layers) ? 'Q6_K' : 'Q4_K';
    out.push(
      tensor(`blk.${l}.attn_norm.weight`, [o.embd], 'F32'),
      tensor(`blk.${l}.attn_q.weight`, [o.embd, o.embd], 'Q4_K'),
      tensor(`blk.${l}.attn_k.weight`, [o.embd, kv], 'Q4_K'),
      tensor(`blk.${l}.attn_v.weight`, [o.embd, kv], more),
      tensor(`blk.${l}.attn_output.weight`, [o.embd, o.embd], 'Q4_K'),
      tensor(`blk.${l}.ffn_norm.weight`, [o.embd], 'F32'),
      tensor(`blk.${l}.ffn_gate.weight`, [o.embd, o.ff], 'Q4_K'),
      tensor(`blk.${l}.ffn_up.weight`, [o.embd, o.ff], 'Q4_K'),
      tensor(`blk.${l}.ffn_down.weight`, [o.ff, o.embd], more),
    );
  }
  out.push(tensor('output_norm.weight', [o.embd], 'F32'), tensor('output.weight', [o.embd, o.vocab], 'Q6_K'));
  return out;
}

/** The tiny SPM vocabulary (real words, one token each) padded with unused pieces to the shape's vocabulary size. */
function paddedVocab(size: number): TinyVocab {
  const v = buildTinyVocab();
  if (v.tokens.length > size) throw new RangeError(`vocabulary of ${size} is smaller than the tiny vocabulary (${v.tokens.length})`);
  const tokens = [...v.tokens];
  const types = [...v.types];
  const scores = [...v.scores];
  for (let i = tokens.length; i < size; i++) {
    tokens.push(`<unused${i}>`);
    types.push(TOKEN_TYPE.UNUSED);
    scores.push(-1e6);
  }
  return { tokens, types, scores, firstOrdinary: v.firstOrdinary };
}

/** Metadata and tensor infos: everything but the tensor data. */
export function shapedModelHeader(o: ShapedModelOptions): {
  header: Buffer;
  tensors: ShapedTensor[];
  offsets: number[];
  dataBytes: number;
  parameters: number;
} {
  const vocab = paddedVocab(o.vocab);
  const base = resolveTinyModelOptions({
    layers: o.layers,
    embd: o.embd,
    ff: o.ff,
    heads: o.heads,
    kvHeads: o.kvHeads,
    contextLength: o.contextLength,
    name: o.name,
  });
  const w = new GgufWriter();
  writeTinyModelHeader(w, base, vocab, o.name);
  w.f32('llama.rope.freq_base', o.ropeTheta).u32('general.file_type', 15); // LLAMA_FTYPE_MOSTLY_Q4_K_M
  const tensors = shapedTensors(o);
  const { header, offsets, dataBytes } = w.headerFor(tensors.map((t) => ({ name: t.name, dims: t.dims, ggmlType: GGML[t.type].id, bytes: t.bytes })));
  const parameters = tensors.reduce((a, t) => a + t.dims.reduce((x, y) => x * y, 1), 0);
  return { header, tensors, offsets, dataBytes, parameters };
}

/**
 * One chunk of valid blocks of a type, repeated through every tensor of that type. Small random weights
 * (|w| ≲ 0.05: finite activations through every layer), so the kernels do their normal work; norms are 1.
 */
function blockChunk(type: GgmlName, seed: number): Buffer {
  const rand = mulberry32(seed);
  if (type === 'F32') {
    const b = Buffer.alloc(4 * 4096);
    for (let i = 0; i < 4096; i++) b.writeFloatLE(1, i * 4);
    return b;
  }
  const [, size] = GGML[type].block;
  const blocks = 4096;
  const b = Buffer.alloc(size * blocks);
  for (let i = 0; i < b.length; i++) b[i] = Math.floor(rand() * 256);
  for (let k = 0; k < blocks; k++) {
    const at = k * size;
    if (type === 'Q4_K') {
      // block_q4_K: f16 d, f16 dmin, 12 bytes of 6-bit scales and mins, 128 bytes of 4-bit quants. w = d·sc·q − dmin·m.
      b.writeUInt16LE(toHalf(5e-5), at);
      b.writeUInt16LE(toHalf(5e-5), at + 2);
    } else {
      // block_q6_K: 128 bytes low bits, 64 high bits, 16 int8 scales, then f16 d. w = d·scale·(q − 32).
      b.writeUInt16LE(toHalf(1e-5), at + 208);
    }
  }
  return b;
}

/**
 * Streams the model to `file` (4.9 GB at full size: write it only to a temporary directory). Returns the bytes written.
 * Backpressure is honoured, so memory stays at a few megabytes whatever the size.
 */
export async function writeShapedModel(
  file: string,
  o: ShapedModelOptions,
  onProgress?: (fraction: number) => void,
): Promise<{ bytes: number; parameters: number }> {
  const { header, tensors, offsets, dataBytes, parameters } = shapedModelHeader(o);
  const total = header.length + dataBytes;
  const out = createWriteStream(file);
  const failed = once(out, 'error').then(([err]) => Promise.reject(err as Error));
  failed.catch(() => undefined);
  let written = 0;
  const write = async (chunk: Buffer): Promise<void> => {
    written += chunk.length;
    if (!out.write(chunk)) await Promise.race([once(out, 'drain'), failed]);
  };
  const chunks = new Map<GgmlName, Buffer>();
  await write(header);
  let lastReport = 0;
  for (let i = 0; i < tensors.length; i++) {
    const t = tensors[i]!;
    const pad = header.length + offsets[i]! - written;
    if (pad > 0) await write(Buffer.alloc(pad));
    let chunk = chunks.get(t.type);
    if (!chunk) chunks.set(t.type, (chunk = blockChunk(t.type, 17 + chunks.size)));
    for (let left = t.bytes; left > 0; left -= chunk.length) await write(left >= chunk.length ? chunk : chunk.subarray(0, left));
    if (onProgress && written - lastReport > 64 << 20) {
      lastReport = written;
      onProgress(written / total);
    }
  }
  if (total > written) await write(Buffer.alloc(total - written));
  out.end();
  await Promise.race([once(out, 'finish'), failed]);
  onProgress?.(1);
  return { bytes: written, parameters };
}
