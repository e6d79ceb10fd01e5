/**
 * Tiny deterministic llama-architecture GGUF models (and matching LoRA adapters) for tests and demos.
 *
 * The same options give byte-identical files. Weights come from a seeded PRNG (mulberry32 + Box–Muller)
 * scaled by 1/sqrt(fan-in); norm weights are 1. The `output.weight` rows of the control and byte tokens
 * are zero, so greedy decoding never emits end-of-sequence or a lone byte and always runs to maxTokens.
 */
import { mulberry32 } from '../../src/core/random';
import { writeFile } from 'node:fs/promises';
import { GgufWriter } from './ggufWriter';

export interface TinyModelOptions {
  /** PRNG seed for the weights. Default 1. */
  seed?: number;
  /** Transformer blocks. Default 2. */
  layers?: number;
  /** Embedding width. Default 64. */
  embd?: number;
  /** Attention heads. Default 4. */
  heads?: number;
  /** Key/value heads (grouped-query attention). Default = heads. */
  kvHeads?: number;
  /** Feed-forward width. Default 128. */
  ff?: number;
  /** Trained context length written to the header. Default 2048. */
  contextLength?: number;
  /** `general.name`. Default "tiny-llama-<seed>". */
  name?: string;
  /** Include `tokenizer.chat_template`. Default true. */
  chatTemplate?: boolean | string;
  /** Multiplier on the ordinary-token rows of `output.weight` (sharper logits). Default 4. */
  outputScale?: number;
  /** Storage of the weight matrices: f32 (default), f16 or q8_0 (realistic size and speed for benchmarks). */
  weightType?: 'f32' | 'f16' | 'q8_0';
}

export interface TinyLoraOptions {
  /** PRNG seed for the adapter weights. Default 1. */
  seed?: number;
  /** LoRA rank. Default 4. */
  rank?: number;
  /** `adapter.lora.alpha`; llama.cpp scales the update by alpha / rank. Default = rank. */
  alpha?: number;
  /** Weight names per block to adapt. Default: all attention and feed-forward matrices. */
  targets?: readonly TinyLoraTarget[];
  /** `general.base_model.0.name`: the base model the adapter says it was trained on. Default: none written. */
  baseModelName?: string;
}

export type TinyLoraTarget = 'attn_q' | 'attn_k' | 'attn_v' | 'attn_output' | 'ffn_gate' | 'ffn_up' | 'ffn_down';

export type ResolvedTinyModelOptions = Required<Omit<TinyModelOptions, 'chatTemplate'>> & { chatTemplate: string | null };

export const TINY_CHAT_TEMPLATE =
  '{{ bos_token }}{% for message in messages %}' +
  "{% if message['role'] == 'system' %}{{ message['content'] + '\\n' }}" +
  "{% elif message['role'] == 'user' %}{{ 'User: ' + message['content'] + '\\n' }}" +
  "{% else %}{{ 'Assistant: ' + message['content'] + eos_token + '\\n' }}{% endif %}" +
  "{% endfor %}{% if add_generation_prompt %}{{ 'Assistant:' }}{% endif %}";

/** Word list for the vocabulary: general English plus a little clinical language. */
const WORDS = [
  'the',
  'a',
  'an',
  'and',
  'or',
  'of',
  'to',
  'in',
  'is',
  'was',
  'with',
  'for',
  'on',
  'no',
  'not',
  'yes',
  'patient',
  'patients',
  'pain',
  'fever',
  'cough',
  'blood',
  'pressure',
  'heart',
  'rate',
  'dose',
  'drug',
  'daily',
  'mg',
  'history',
  'diagnosis',
  'treatment',
  'acute',
  'chronic',
  'normal',
  'negative',
  'positive',
  'test',
  'result',
  'answer',
  'question',
  'option',
  'true',
  'false',
  'left',
  'right',
  'chest',
  'lung',
  'kidney',
  'liver',
  'brain',
  'cell',
  'gene',
  'protein',
  'disease',
  'infection',
  'cancer',
  'diabetes',
  'hello',
  'world',
  'what',
  'which',
  'who',
  'how',
  'it',
  'he',
  'she',
  'they',
  'has',
  'had',
  'are',
  'be',
];
const CHARS = [...'abcdefghijklmnopqrstuvwxyz', ...'ABCDEFGHIJKLMNOPQRSTUVWXYZ', ...'0123456789', ...'.,:;!?\'"()-/%+='];
const SPM_SPACE = '\u2581';

export const TOKEN_TYPE = { NORMAL: 1, UNKNOWN: 2, CONTROL: 3, USER_DEFINED: 4, UNUSED: 5, BYTE: 6 } as const;

export interface TinyVocab {
  tokens: string[];
  scores: number[];
  types: number[];
  /** Ids below this are control or byte tokens. */
  firstOrdinary: number;
}

/** The SPM vocabulary: `<unk>`, `<s>`, `</s>`, 256 byte tokens, then ordinary pieces with descending scores. */
export function buildTinyVocab(): TinyVocab {
  const tokens: string[] = ['<unk>', '<s>', '</s>'];
  const types: number[] = [TOKEN_TYPE.UNKNOWN, TOKEN_TYPE.CONTROL, TOKEN_TYPE.CONTROL];
  for (let b = 0; b < 256; b++) {
    tokens.push(`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`);
    types.push(TOKEN_TYPE.BYTE);
  }
  const firstOrdinary = tokens.length;
  const seen = new Set<string>();
  const ordinary: string[] = [];
  const add = (piece: string): void => {
    if (!seen.has(piece)) {
      seen.add(piece);
      ordinary.push(piece);
    }
  };
  // SPM merges pairs whose concatenation is in the vocabulary, so each word needs its whole prefix chain.
  add(SPM_SPACE);
  for (const w of WORDS) {
    for (let i = 1; i <= w.length; i++) add(SPM_SPACE + w.slice(0, i));
  }
  for (const c of CHARS) add(c);
  for (const c of CHARS) add(SPM_SPACE + c);
  for (const piece of ordinary) {
    tokens.push(piece);
    types.push(TOKEN_TYPE.NORMAL);
  }
  const scores = tokens.map((_, i) => (i < firstOrdinary ? 0 : -(i - firstOrdinary)));
  return { tokens, scores, types, firstOrdinary };
}

export { mulberry32 };

/** Standard normal samples from a seeded uniform source (Box–Muller, both outputs used). */
export function gaussian(seed: number): () => number {
  const uniform = mulberry32(seed);
  let spare: number | null = null;
  return () => {
    if (spare !== null) {
      const s = spare;
      spare = null;
      return s;
    }
    const u1 = 1 - uniform(); // (0, 1]
    const u2 = uniform();
    const r = Math.sqrt(-2 * Math.log(u1));
    spare = r * Math.sin(2 * Math.PI * u2);
    return r * Math.cos(2 * Math.PI * u2);
  };
}

function randomMatrix(next: () => number, count: number, fanIn: number, scale = 1): Float32Array {
  const out = new Float32Array(count);
  const s = scale / Math.sqrt(fanIn);
  for (let i = 0; i < count; i++) out[i] = next() * s;
  return out;
}

function checkPositiveInt(name: string, v: number): void {
  if (!Number.isInteger(v) || v <= 0) throw new RangeError(`tiny model: ${name} must be a positive integer, got ${v}`);
}

export function resolveTinyModelOptions(options: TinyModelOptions = {}): ResolvedTinyModelOptions {
  const heads = options.heads ?? 4;
  const r: ResolvedTinyModelOptions = {
    seed: options.seed ?? 1,
    layers: options.layers ?? 2,
    embd: options.embd ?? 64,
    heads,
    kvHeads: options.kvHeads ?? heads,
    ff: options.ff ?? 128,
    contextLength: options.contextLength ?? 2048,
    name: options.name ?? `tiny-llama-${options.seed ?? 1}`,
    outputScale: options.outputScale ?? 4,
    weightType: options.weightType ?? 'f32',
    chatTemplate: options.chatTemplate === false ? null : typeof options.chatTemplate === 'string' ? options.chatTemplate : TINY_CHAT_TEMPLATE,
  };
  for (const k of ['layers', 'embd', 'heads', 'kvHeads', 'ff', 'contextLength'] as const) checkPositiveInt(k, r[k]);
  if (!Number.isInteger(r.seed)) throw new RangeError(`tiny model: seed must be an integer, got ${r.seed}`);
  if (r.embd % r.heads !== 0) throw new RangeError(`tiny model: embd (${r.embd}) must be divisible by heads (${r.heads})`);
  if (r.heads % r.kvHeads !== 0) throw new RangeError(`tiny model: heads (${r.heads}) must be divisible by kvHeads (${r.kvHeads})`);
  if ((r.embd / r.heads) % 2 !== 0) throw new RangeError(`tiny model: head dimension (${r.embd / r.heads}) must be even for RoPE`);
  return r;
}

/** Shapes (ggml `ne`, innermost first) of the per-block weight matrices: [fan-in, fan-out]. */
function blockMatrixShapes(o: ResolvedTinyModelOptions): Record<TinyLoraTarget, [number, number]> {
  const headDim = o.embd / o.heads;
  const kvDim = o.kvHeads * headDim;
  return {
    attn_q: [o.embd, o.heads * headDim],
    attn_k: [o.embd, kvDim],
    attn_v: [o.embd, kvDim],
    attn_output: [o.heads * headDim, o.embd],
    ffn_gate: [o.embd, o.ff],
    ffn_up: [o.embd, o.ff],
    ffn_down: [o.ff, o.embd],
  };
}

/** The llama hyperparameters and SPM tokenizer metadata of a tiny model (also the first part of a split one). */
export function writeTinyModelHeader(w: GgufWriter, o: ResolvedTinyModelOptions, vocab: TinyVocab, name: string): void {
  const headDim = o.embd / o.heads;
  w.string('general.architecture', 'llama')
    .string('general.type', 'model')
    .string('general.name', name)
    .u32('general.file_type', { f32: 0, f16: 1, q8_0: 7 }[o.weightType]) // llama_ftype: ALL_F32 / MOSTLY_F16 / MOSTLY_Q8_0
    .u32('llama.context_length', o.contextLength)
    .u32('llama.embedding_length', o.embd)
    .u32('llama.block_count', o.layers)
    .u32('llama.feed_forward_length', o.ff)
    .u32('llama.rope.dimension_count', headDim)
    .f32('llama.rope.freq_base', 10000)
    .u32('llama.attention.head_count', o.heads)
    .u32('llama.attention.head_count_kv', o.kvHeads)
    .f32('llama.attention.layer_norm_rms_epsilon', 1e-5)
    .u32('llama.vocab_size', vocab.tokens.length)
    .string('tokenizer.ggml.model', 'llama')
    .array('tokenizer.ggml.tokens', 'string', vocab.tokens)
    .array('tokenizer.ggml.scores', 'f32', vocab.scores)
    .array('tokenizer.ggml.token_type', 'i32', vocab.types)
    .u32('tokenizer.ggml.bos_token_id', 1)
    .u32('tokenizer.ggml.eos_token_id', 2)
    .u32('tokenizer.ggml.unknown_token_id', 0)
    .bool('tokenizer.ggml.add_bos_token', true)
    .bool('tokenizer.ggml.add_eos_token', false);
  if (o.chatTemplate !== null) w.string('tokenizer.chat_template', o.chatTemplate);
}

/** Builds the GGUF bytes of a tiny model. */
export function buildTinyModel(options: TinyModelOptions = {}): Buffer {
  const o = resolveTinyModelOptions(options);
  const vocab = buildTinyVocab();
  const nVocab = vocab.tokens.length;
  const w = new GgufWriter();
  writeTinyModelHeader(w, o, vocab, o.name);

  const next = gaussian(o.seed);
  const ones = (n: number): Float32Array => new Float32Array(n).fill(1);
  const m = o.weightType;
  w.addTensor('token_embd.weight', [o.embd, nVocab], randomMatrix(next, o.embd * nVocab, 1), m);
  const shapes = blockMatrixShapes(o);
  for (let l = 0; l < o.layers; l++) {
    w.addTensor(`blk.${l}.attn_norm.weight`, [o.embd], ones(o.embd));
    for (const name of ['attn_q', 'attn_k', 'attn_v', 'attn_output'] as const) {
      const [fanIn, fanOut] = shapes[name];
      w.addTensor(`blk.${l}.${name}.weight`, [fanIn, fanOut], randomMatrix(next, fanIn * fanOut, fanIn), m);
    }
    w.addTensor(`blk.${l}.ffn_norm.weight`, [o.embd], ones(o.embd));
    for (const name of ['ffn_gate', 'ffn_up', 'ffn_down'] as const) {
      const [fanIn, fanOut] = shapes[name];
      w.addTensor(`blk.${l}.${name}.weight`, [fanIn, fanOut], randomMatrix(next, fanIn * fanOut, fanIn), m);
    }
  }
  w.addTensor('output_norm.weight', [o.embd], ones(o.embd));
  const output = randomMatrix(next, o.embd * nVocab, o.embd, o.outputScale);
  output.fill(0, 0, vocab.firstOrdinary * o.embd); // control + byte token rows never win greedy decoding
  w.addTensor('output.weight', [o.embd, nVocab], output, m);
  return w.toBuffer();
}

/** Writes a tiny model GGUF; returns its size in bytes. */
export async function writeTinyModel(path: string, options: TinyModelOptions = {}): Promise<number> {
  const buf = buildTinyModel(options);
  await writeFile(path, buf);
  return buf.length;
}

/** Builds a LoRA adapter GGUF (llama.cpp adapter format) for the base model built from `baseOptions`. */
export function buildTinyLora(baseOptions: TinyModelOptions = {}, options: TinyLoraOptions = {}): Buffer {
  const o = resolveTinyModelOptions(baseOptions);
  const rank = options.rank ?? 4;
  checkPositiveInt('LoRA rank', rank);
  const alpha = options.alpha ?? rank;
  const seed = options.seed ?? 1;
  const targets = options.targets ?? (['attn_q', 'attn_k', 'attn_v', 'attn_output', 'ffn_gate', 'ffn_up', 'ffn_down'] as const);
  const w = new GgufWriter();
  w.string('general.architecture', 'llama')
    .string('general.type', 'adapter')
    .string('general.name', `${o.name}-lora-${seed}`)
    .u32('general.file_type', 0)
    .string('adapter.type', 'lora')
    .f32('adapter.lora.alpha', alpha);
  if (options.baseModelName !== undefined) w.u32('general.base_model.count', 1).string('general.base_model.0.name', options.baseModelName);
  const next = gaussian(seed ^ 0x5eed1);
  const shapes = blockMatrixShapes(o);
  for (let l = 0; l < o.layers; l++) {
    for (const name of targets) {
      const [fanIn, fanOut] = shapes[name];
      // W has ne [in, out]; llama.cpp computes W·x + scale·B·(A·x) with A ne [in, rank] and B ne [rank, out].
      w.addTensor(`blk.${l}.${name}.weight.lora_a`, [fanIn, rank], randomMatrix(next, fanIn * rank, fanIn));
      w.addTensor(`blk.${l}.${name}.weight.lora_b`, [rank, fanOut], randomMatrix(next, rank * fanOut, rank));
    }
  }
  return w.toBuffer();
}

/** Writes a LoRA adapter GGUF matching a tiny model; returns its size in bytes. */
export async function writeTinyLora(path: string, baseOptions: TinyModelOptions = {}, options: TinyLoraOptions = {}): Promise<number> {
  const buf = buildTinyLora(baseOptions, options);
  await writeFile(path, buf);
  return buf.length;
}
