/**
 * Strict GGUF header validation, run before any other parser (node-llama-cpp's or llama.cpp's)
 * sees a file. A crafted header can make llama.cpp hit an assertion and abort the whole process
 * (an absurd `block_count`, an alignment of the wrong type), or make a lenient parser allocate
 * gigabytes (a 2^40-element array): this reader walks the header itself with bounds on every
 * count and length, never materialises large arrays, and checks the hyper-parameters and tensor
 * shapes llama.cpp relies on. It reads only the header, never the weights.
 */
import { open, type FileHandle } from 'node:fs/promises';

/**
 * A file whose header is malformed or out of bounds; `reason` says what, never quoting file bytes.
 * `kind`: not a GGUF file at all, cut short (a partial download), or crafted/corrupt values.
 */
export class GgufValidationError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
    readonly kind: 'not_gguf' | 'truncated' | 'invalid' = 'invalid',
  ) {
    super(reason);
    this.name = 'GgufValidationError';
  }
}

/** GGUF versions llama.cpp reads (v1 is refused by llama.cpp itself; v4 does not exist yet). */
export const SUPPORTED_GGUF_VERSIONS: readonly number[] = [2, 3];

/** Bounds on what a header may declare. Generous for every real model; absurd values are refused. */
export const GGUF_LIMITS = {
  maxTensors: 65_536,
  maxKeyValues: 65_536,
  maxKeyLength: 65_535,
  maxStringBytes: 64 * 1024 * 1024,
  /** Elements in one metadata array (vocabularies and merges are ~10^5-10^6). */
  maxArrayLength: 1 << 24,
  maxTensorNameBytes: 63, // llama.cpp: GGML_MAX_NAME - 1
  maxDims: 4, // GGML_MAX_DIMS
  maxDimension: 2 ** 40,
  maxElements: 2 ** 50,
  minAlignment: 8,
  maxAlignment: 65_536,
  maxLayers: 512, // LLAMA_MAX_LAYERS
  maxEmbedding: 131_072,
  maxContext: 2 ** 26,
  maxHeads: 4096,
  maxVocab: 1 << 22,
  maxFeedForward: 1 << 20,
  maxExperts: 4096,
  maxHeadDim: 65_536,
} as const;

/** [elements per block, bytes per block] of ggml tensor types (ggml.c `type_traits`); deprecated types absent. */
export const GGML_TYPE_SIZES: Readonly<Partial<Record<number, readonly [number, number]>>> = {
  0: [1, 4],
  1: [1, 2],
  2: [32, 18],
  3: [32, 20],
  6: [32, 22],
  7: [32, 24],
  8: [32, 34],
  9: [32, 36],
  10: [256, 84],
  11: [256, 110],
  12: [256, 144],
  13: [256, 176],
  14: [256, 210],
  15: [256, 292],
  16: [256, 66],
  17: [256, 74],
  18: [256, 98],
  19: [256, 50],
  20: [32, 18],
  21: [256, 110],
  22: [256, 82],
  23: [256, 136],
  24: [1, 1],
  25: [1, 2],
  26: [1, 4],
  27: [1, 8],
  28: [1, 8],
  29: [256, 56],
  30: [1, 2],
  34: [256, 54],
  35: [256, 66],
  39: [32, 17],
};

/** GGUF metadata value types. */
const T = { U8: 0, I8: 1, U16: 2, I16: 3, U32: 4, I32: 5, F32: 6, BOOL: 7, STRING: 8, ARRAY: 9, U64: 10, I64: 11, F64: 12 } as const;
const FIXED_SIZE: Partial<Record<number, number>> = { 0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8 };
const INTEGER_TYPES = new Set<number>([T.U8, T.I8, T.U16, T.I16, T.U32, T.I32, T.U64, T.I64]);

type Scalar = number | bigint | string | boolean;
interface ArrayInfo {
  itemType: number;
  length: number;
  /** Numeric items, kept only for short arrays (per-layer hyper-parameters). */
  values?: number[];
}
interface KeyValue {
  type: number;
  value?: Scalar;
  array?: ArrayInfo;
}

export interface GgufTensorHeader {
  name: string;
  dims: number[];
  type: number;
  /** Absolute byte offset of the tensor's data in its file. */
  start: number;
  bytes: number;
}

export interface GgufHeaderSummary {
  version: number;
  alignment: number;
  keyValues: Map<string, KeyValue>;
  tensors: GgufTensorHeader[];
  /** Where tensor data starts (after the infos, aligned). */
  dataStart: number;
}

/** Buffered little-endian reader over a file handle that refuses to read past the file's end. */
class Cursor {
  pos = 0;
  private buf = Buffer.alloc(0);
  private bufStart = 0;

  constructor(
    private readonly fh: FileHandle,
    readonly size: number,
    private readonly fail: (reason: string) => never,
  ) {}

  private async ensure(n: number, what: string): Promise<void> {
    if (this.pos + n > this.size) this.fail(`the header runs past the end of the file (${what} needs bytes up to ${this.pos + n}, the file has ${this.size})`);
    if (this.pos >= this.bufStart && this.pos + n <= this.bufStart + this.buf.length) return;
    const length = Math.min(Math.max(n, 1 << 20), this.size - this.pos);
    const buf = Buffer.allocUnsafe(length);
    const { bytesRead } = await this.fh.read(buf, 0, length, this.pos);
    if (bytesRead < n) this.fail(`the file ended while reading ${what}`);
    this.buf = buf.subarray(0, bytesRead);
    this.bufStart = this.pos;
  }

  private at(): number {
    return this.pos - this.bufStart;
  }

  async u32(what: string): Promise<number> {
    await this.ensure(4, what);
    const v = this.buf.readUInt32LE(this.at());
    this.pos += 4;
    return v;
  }

  async u64(what: string): Promise<bigint> {
    await this.ensure(8, what);
    const v = this.buf.readBigUInt64LE(this.at());
    this.pos += 8;
    return v;
  }

  async scalar(type: number, what: string): Promise<Scalar> {
    const size = FIXED_SIZE[type];
    if (size === undefined) return this.string(what);
    await this.ensure(size, what);
    const b = this.buf;
    const o = this.at();
    this.pos += size;
    switch (type) {
      case T.U8:
        return b.readUInt8(o);
      case T.I8:
        return b.readInt8(o);
      case T.U16:
        return b.readUInt16LE(o);
      case T.I16:
        return b.readInt16LE(o);
      case T.U32:
        return b.readUInt32LE(o);
      case T.I32:
        return b.readInt32LE(o);
      case T.F32:
        return b.readFloatLE(o);
      case T.BOOL:
        return b.readUInt8(o) !== 0;
      case T.U64:
        return b.readBigUInt64LE(o);
      case T.I64:
        return b.readBigInt64LE(o);
      default:
        return b.readDoubleLE(o);
    }
  }

  /** Reads a string; with `keep` false only skips it (long chat templates and vocabularies). */
  async string(what: string, keep = true, maxBytes: number = GGUF_LIMITS.maxStringBytes): Promise<string> {
    const len = await this.u64(`the length of ${what}`);
    if (len > BigInt(maxBytes)) this.fail(`${what} claims ${len} bytes (limit ${maxBytes})`);
    const n = Number(len);
    if (!keep) {
      this.skip(n, what);
      return '';
    }
    await this.ensure(n, what);
    const s = this.buf.toString('utf8', this.at(), this.at() + n);
    this.pos += n;
    return s;
  }

  skip(n: number, what: string): void {
    if (this.pos + n > this.size) this.fail(`the header runs past the end of the file (${what} needs bytes up to ${this.pos + n}, the file has ${this.size})`);
    this.pos += n;
  }
}

function toNumber(v: Scalar | undefined): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= -BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : Number.POSITIVE_INFINITY;
  return undefined;
}

/** Keys whose (short) arrays are kept: per-layer hyper-parameters. */
const KEEP_ARRAY_VALUES = 4096;

/** Reads and structurally validates one GGUF file's header (one part of a split model). */
export async function readGgufHeader(file: string): Promise<GgufHeaderSummary> {
  const fail = (reason: string): never => {
    throw new GgufValidationError(file, reason);
  };
  const truncated = (reason: string): never => {
    throw new GgufValidationError(file, reason, 'truncated');
  };
  const fh = await open(file, 'r');
  try {
    const { size } = await fh.stat();
    const c = new Cursor(fh, size, truncated);
    if (size < 4 || (await c.u32('the magic')) !== 0x46554747)
      throw new GgufValidationError(file, 'it is not a GGUF file (it does not start with the GGUF magic bytes)', 'not_gguf');
    if (size < 24) truncated(`the file has only ${size} bytes, too few for a GGUF header`);
    const version = await c.u32('the version');
    if (!SUPPORTED_GGUF_VERSIONS.includes(version))
      fail(`unsupported GGUF version ${version} (this build reads versions ${SUPPORTED_GGUF_VERSIONS.join(' and ')})`);
    const tensorCount = await c.u64('the tensor count');
    const kvCount = await c.u64('the metadata count');
    // A tensor info is at least 33 bytes and a key/value 13: counts the file cannot hold are refused before any loop.
    if (tensorCount > BigInt(GGUF_LIMITS.maxTensors) || tensorCount * 33n > BigInt(size))
      fail(`the header declares ${tensorCount} tensors (limit ${GGUF_LIMITS.maxTensors}, and what a ${size}-byte file can hold)`);
    if (kvCount > BigInt(GGUF_LIMITS.maxKeyValues) || kvCount * 13n > BigInt(size))
      fail(`the header declares ${kvCount} metadata entries (limit ${GGUF_LIMITS.maxKeyValues}, and what a ${size}-byte file can hold)`);

    const keyValues = new Map<string, KeyValue>();
    for (let i = 0; i < Number(kvCount); i++) {
      const key = await c.string(`metadata key ${i}`, true, GGUF_LIMITS.maxKeyLength);
      if (key.length === 0) fail(`metadata key ${i} is empty`);
      if (keyValues.has(key)) fail(`metadata key "${clip(key)}" appears twice`);
      const type = await c.u32(`the type of "${clip(key)}"`);
      if (type > T.F64) fail(`metadata "${clip(key)}" has unknown value type ${type}`);
      if (type === T.ARRAY) {
        const itemType = await c.u32(`the item type of "${clip(key)}"`);
        if (itemType > T.F64) fail(`metadata array "${clip(key)}" has unknown item type ${itemType}`);
        if (itemType === T.ARRAY) fail(`metadata "${clip(key)}" is an array of arrays, which GGUF does not allow`);
        const length = await c.u64(`the length of "${clip(key)}"`);
        if (length > BigInt(GGUF_LIMITS.maxArrayLength)) fail(`metadata array "${clip(key)}" claims ${length} items (limit ${GGUF_LIMITS.maxArrayLength})`);
        const n = Number(length);
        const array: ArrayInfo = { itemType, length: n };
        const itemSize = FIXED_SIZE[itemType];
        if (itemSize !== undefined && n <= KEEP_ARRAY_VALUES && INTEGER_TYPES.has(itemType)) {
          array.values = [];
          for (let j = 0; j < n; j++) array.values.push(toNumber(await c.scalar(itemType, `"${clip(key)}"[${j}]`)) ?? 0);
        } else if (itemSize !== undefined) {
          c.skip(itemSize * n, `array "${clip(key)}"`);
        } else {
          for (let j = 0; j < n; j++) await c.string(`"${clip(key)}"[${j}]`, false);
        }
        keyValues.set(key, { type, array });
      } else {
        const keep = type !== T.STRING || !key.startsWith('tokenizer.');
        const value = type === T.STRING ? await c.string(`"${clip(key)}"`, keep) : await c.scalar(type, `"${clip(key)}"`);
        keyValues.set(key, { type, value });
      }
    }

    const alignKv = keyValues.get('general.alignment');
    let alignment = 32;
    if (alignKv) {
      // llama.cpp asserts (aborts) when general.alignment is not a u32.
      if (alignKv.type !== T.U32) fail('general.alignment is not a 32-bit unsigned integer');
      alignment = toNumber(alignKv.value) ?? 0;
      if (alignment < GGUF_LIMITS.minAlignment || alignment > GGUF_LIMITS.maxAlignment || (alignment & (alignment - 1)) !== 0) {
        fail(`general.alignment is ${alignment}; it must be a power of two from ${GGUF_LIMITS.minAlignment} to ${GGUF_LIMITS.maxAlignment}`);
      }
    }

    const infos: { name: string; dims: number[]; type: number; offset: bigint }[] = [];
    const names = new Set<string>();
    for (let i = 0; i < Number(tensorCount); i++) {
      const name = await c.string(`the name of tensor ${i}`, true, 1024);
      if (name.length === 0 || Buffer.byteLength(name) > GGUF_LIMITS.maxTensorNameBytes)
        fail(`tensor ${i} has a name of ${Buffer.byteLength(name)} bytes (1 to ${GGUF_LIMITS.maxTensorNameBytes} allowed)`);
      if (names.has(name)) fail(`tensor "${name}" appears twice`);
      names.add(name);
      const nDims = await c.u32(`the dimension count of tensor "${name}"`);
      if (nDims < 1 || nDims > GGUF_LIMITS.maxDims) fail(`tensor "${name}" has ${nDims} dimensions (1 to ${GGUF_LIMITS.maxDims} allowed)`);
      const dims: number[] = [];
      for (let d = 0; d < nDims; d++) {
        const dim = await c.u64(`dimension ${d} of tensor "${name}"`);
        if (dim < 1n || dim > BigInt(GGUF_LIMITS.maxDimension)) fail(`tensor "${name}" has dimension ${dim} (1 to 2^40 allowed)`);
        dims.push(Number(dim));
      }
      const type = await c.u32(`the type of tensor "${name}"`);
      const offset = await c.u64(`the offset of tensor "${name}"`);
      infos.push({ name, dims, type, offset });
    }
    const dataStart = Math.ceil(c.pos / alignment) * alignment;

    const tensors: GgufTensorHeader[] = [];
    for (const t of infos) {
      const traits = GGML_TYPE_SIZES[t.type];
      if (!traits) fail(`tensor "${t.name}" has unknown or unsupported ggml type ${t.type}`);
      const [block, blockBytes] = traits!;
      const elements = t.dims.reduce((a, d) => a * d, 1);
      if (elements > GGUF_LIMITS.maxElements) fail(`tensor "${t.name}" has ${elements} elements (limit 2^50)`);
      if ((t.dims[0] ?? 0) % block !== 0) fail(`tensor "${t.name}": its first dimension ${t.dims[0]} is not a multiple of its type's block size ${block}`);
      if (t.offset % BigInt(alignment) !== 0n) fail(`tensor "${t.name}" starts at offset ${t.offset}, which is not a multiple of the alignment ${alignment}`);
      const bytes = (elements / block) * blockBytes;
      const start = BigInt(dataStart) + t.offset;
      if (start + BigInt(bytes) > BigInt(size)) truncated(`tensor "${t.name}" needs bytes up to ${start + BigInt(bytes)} but the file has ${size}`);
      tensors.push({ name: t.name, dims: t.dims, type: t.type, start: Number(start), bytes });
    }
    return { version, alignment, keyValues, tensors, dataStart };
  } finally {
    await fh.close();
  }
}

function clip(s: string): string {
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

/**
 * Checks the architecture's hyper-parameters against sane bounds and the tensor shapes against
 * them (what llama.cpp assumes without checking). `tensors` are every part's tensors together.
 */
export function checkArchitecture(file: string, header: GgufHeaderSummary, tensors: readonly GgufTensorHeader[]): void {
  const fail = (reason: string): never => {
    throw new GgufValidationError(file, reason);
  };
  const kv = header.keyValues;
  const generalType = kv.get('general.type')?.value;
  if (generalType === 'adapter' || kv.has('adapter.type')) return; // adapters carry no hyper-parameters
  const arch = kv.get('general.architecture');
  if (!arch) return; // llama.cpp refuses it cleanly (and inspect reports it as unsupported)
  if (arch.type !== T.STRING || typeof arch.value !== 'string') return fail('general.architecture is not a string');
  const prefix = `${arch.value}.`;

  /** A scalar hyper-parameter, or a per-layer array's values; undefined when absent. */
  const param = (key: string, min: number, max: number): number[] | undefined => {
    const e = kv.get(prefix + key);
    if (!e) return undefined;
    if (e.array) {
      if (!INTEGER_TYPES.has(e.array.itemType) || !e.array.values) fail(`${prefix}${key} is an array of ${e.array.length} items that are not small integers`);
      for (const v of e.array.values!) if (v < min || v > max) fail(`${prefix}${key} holds ${v} (allowed ${min} to ${max})`);
      return e.array.values;
    }
    if (!INTEGER_TYPES.has(e.type)) fail(`${prefix}${key} is not an integer`);
    const v = toNumber(e.value) ?? Number.NaN;
    if (!(v >= min && v <= max)) fail(`${prefix}${key} is ${typeof e.value === 'bigint' ? e.value : v} (allowed ${min} to ${max})`);
    return [v];
  };
  const L = GGUF_LIMITS;
  const layers = param('block_count', 1, L.maxLayers)?.[0];
  const embd = param('embedding_length', 1, L.maxEmbedding)?.[0];
  param('context_length', 1, L.maxContext);
  const perLayer = (key: string, min: number, max: number): number[] | undefined => {
    const v = param(key, min, max);
    if (v && kv.get(prefix + key)?.array && layers !== undefined && v.length !== layers)
      fail(`${prefix}${key} has ${v.length} per-layer values but block_count is ${layers}`);
    return v;
  };
  perLayer('feed_forward_length', 0, L.maxFeedForward);
  const heads = perLayer('attention.head_count', 0, L.maxHeads);
  const kvHeads = perLayer('attention.head_count_kv', 0, L.maxHeads);
  if (heads && kvHeads) {
    for (let i = 0; i < Math.max(heads.length, kvHeads.length); i++) {
      const h = heads[heads.length === 1 ? 0 : i] ?? 0;
      const k = kvHeads[kvHeads.length === 1 ? 0 : i] ?? 0;
      if (k > h) fail(`${prefix}attention.head_count_kv (${k}) is more than attention.head_count (${h})`);
    }
  }
  param('attention.key_length', 1, L.maxHeadDim);
  param('attention.value_length', 1, L.maxHeadDim);
  const experts = param('expert_count', 0, L.maxExperts)?.[0];
  const used = param('expert_used_count', 0, L.maxExperts)?.[0];
  if (used !== undefined && experts !== undefined && used > experts) fail(`${prefix}expert_used_count (${used}) is more than expert_count (${experts})`);
  const vocabKey = param('vocab_size', 1, L.maxVocab)?.[0];
  const tokens = kv.get('tokenizer.ggml.tokens')?.array;
  if (tokens && (tokens.length < 1 || tokens.length > L.maxVocab)) fail(`tokenizer.ggml.tokens has ${tokens.length} tokens (allowed 1 to ${L.maxVocab})`);
  const vocab = tokens?.length ?? vocabKey;

  const byName = new Map(tensors.map((t) => [t.name, t]));
  const embedTensor = byName.get('token_embd.weight');
  if (embedTensor) {
    const [cols, rows] = embedTensor.dims;
    if (embd !== undefined && cols !== embd) fail(`token_embd.weight is ${cols} wide but embedding_length is ${embd}`);
    if (vocab !== undefined && rows !== undefined && rows !== vocab) fail(`token_embd.weight has ${rows} rows but the vocabulary has ${vocab} tokens`);
  }
  for (const name of ['output_norm.weight', 'blk.0.attn_norm.weight']) {
    const t = byName.get(name);
    if (t && embd !== undefined && t.dims[0] !== embd) fail(`${name} is ${t.dims[0]} wide but embedding_length is ${embd}`);
  }
  if (layers !== undefined) {
    const blocks = new Set<number>();
    for (const t of tensors) {
      const m = /^blk\.(\d+)\./.exec(t.name);
      if (!m) continue;
      const n = Number(m[1]);
      if (n >= layers) fail(`tensor "${t.name}" belongs to block ${n} but block_count is ${layers}`);
      blocks.add(n);
    }
    if (blocks.size > 0 && blocks.size !== layers) fail(`block_count is ${layers} but the file has tensors for ${blocks.size} blocks`);
  }
}

/**
 * Validates a model or adapter (every part of a split model) before anything else parses it.
 * Throws GgufValidationError naming the part and the reason.
 */
export async function validateGgufFile(parts: readonly string[]): Promise<void> {
  const headers: GgufHeaderSummary[] = [];
  for (const part of parts) headers.push(await readGgufHeader(part));
  const first = headers[0];
  if (!first) return;
  checkArchitecture(
    parts[0] ?? '',
    first,
    headers.flatMap((h) => h.tensors),
  );
}
