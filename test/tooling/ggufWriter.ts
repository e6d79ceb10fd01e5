/**
 * A small GGUF v3 writer: metadata of every GGUF value type, tensor infos and F32 tensor data.
 *
 * Layout (little-endian): magic `GGUF`, u32 version, u64 tensor count, u64 metadata count,
 * the metadata entries, the tensor infos, padding to `general.alignment`, then the tensor data
 * with every tensor starting at an aligned offset. Output is a pure function of the calls made,
 * so the same inputs give byte-identical files.
 */
import { writeFile } from 'node:fs/promises';

/** GGUF metadata value types (gguf.h `enum gguf_type`). */
export const GgufType = {
  UINT8: 0,
  INT8: 1,
  UINT16: 2,
  INT16: 3,
  UINT32: 4,
  INT32: 5,
  FLOAT32: 6,
  BOOL: 7,
  STRING: 8,
  ARRAY: 9,
  UINT64: 10,
  INT64: 11,
  FLOAT64: 12,
} as const;
export type GgufScalarTypeName = 'u8' | 'i8' | 'u16' | 'i16' | 'u32' | 'i32' | 'f32' | 'bool' | 'string' | 'u64' | 'i64' | 'f64';

const TYPE_IDS: Record<GgufScalarTypeName, number> = {
  u8: GgufType.UINT8,
  i8: GgufType.INT8,
  u16: GgufType.UINT16,
  i16: GgufType.INT16,
  u32: GgufType.UINT32,
  i32: GgufType.INT32,
  f32: GgufType.FLOAT32,
  bool: GgufType.BOOL,
  string: GgufType.STRING,
  u64: GgufType.UINT64,
  i64: GgufType.INT64,
  f64: GgufType.FLOAT64,
};

type Scalar = string | number | bigint | boolean;
export type GgufMetadataValue = { type: GgufScalarTypeName; value: Scalar } | { type: 'array'; itemType: GgufScalarTypeName; values: readonly Scalar[] };

/** ggml tensor types this writer emits. */
export const GgmlTensorType = { F32: 0, F16: 1, Q8_0: 8 } as const;
export type TensorStorage = 'f32' | 'f16' | 'q8_0';

/** Q8_0: blocks of 32 values, each an f16 scale and 32 signed bytes (ggml `block_q8_0`, 34 bytes). */
const Q8_BLOCK = 32;
const Q8_BYTES = 34;

function storageBytes(storage: TensorStorage, elements: number): number {
  if (storage === 'q8_0') return (elements / Q8_BLOCK) * Q8_BYTES;
  return elements * (storage === 'f16' ? 2 : 4);
}

/** ggml's quantize_row_q8_0_ref: d = max|x| / 127, q = round(x / d). */
function writeQ8_0(out: Buffer, start: number, data: Float32Array): void {
  for (let b = 0; b < data.length / Q8_BLOCK; b++) {
    let amax = 0;
    for (let j = 0; j < Q8_BLOCK; j++) amax = Math.max(amax, Math.abs(data[b * Q8_BLOCK + j] ?? 0));
    const d = amax / 127;
    const id = d ? 1 / d : 0;
    const at = start + b * Q8_BYTES;
    out.writeUInt16LE(toHalf(d), at);
    for (let j = 0; j < Q8_BLOCK; j++) out.writeInt8(Math.round((data[b * Q8_BLOCK + j] ?? 0) * id), at + 2 + j);
  }
}

const f32Scratch = new Float32Array(1);
const u32Scratch = new Uint32Array(f32Scratch.buffer);

/** IEEE 754 binary16, round to nearest even (what numpy's astype(float16) gives). */
export function toHalf(value: number): number {
  f32Scratch[0] = value;
  const x = u32Scratch[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  let e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    let half = mant >>> shift;
    const rem = mant & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    if (rem > mid || (rem === mid && half & 1)) half++;
    return sign | half;
  }
  let half = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && half & 1)) half++;
  e = half >>> 10;
  return sign | half;
}

export interface GgufTensor {
  name: string;
  /** Dimensions innermost first (ggml `ne`), as llama.cpp expects. */
  dims: readonly number[];
  data: Float32Array;
  storage?: TensorStorage;
}

export const GGUF_DEFAULT_ALIGNMENT = 32;

/** Growable little-endian byte buffer. */
class ByteSink {
  private buf = Buffer.alloc(4096);
  length = 0;

  private ensure(extra: number): void {
    if (this.length + extra <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + extra) size *= 2;
    const next = Buffer.alloc(size);
    this.buf.copy(next, 0, 0, this.length);
    this.buf = next;
  }
  u8(v: number): void {
    this.ensure(1);
    this.buf.writeUInt8(v, this.length);
    this.length += 1;
  }
  i8(v: number): void {
    this.ensure(1);
    this.buf.writeInt8(v, this.length);
    this.length += 1;
  }
  u16(v: number): void {
    this.ensure(2);
    this.buf.writeUInt16LE(v, this.length);
    this.length += 2;
  }
  i16(v: number): void {
    this.ensure(2);
    this.buf.writeInt16LE(v, this.length);
    this.length += 2;
  }
  u32(v: number): void {
    this.ensure(4);
    this.buf.writeUInt32LE(v, this.length);
    this.length += 4;
  }
  i32(v: number): void {
    this.ensure(4);
    this.buf.writeInt32LE(v, this.length);
    this.length += 4;
  }
  f32(v: number): void {
    this.ensure(4);
    this.buf.writeFloatLE(v, this.length);
    this.length += 4;
  }
  f64(v: number): void {
    this.ensure(8);
    this.buf.writeDoubleLE(v, this.length);
    this.length += 8;
  }
  u64(v: number | bigint): void {
    this.ensure(8);
    this.buf.writeBigUInt64LE(BigInt(v), this.length);
    this.length += 8;
  }
  i64(v: number | bigint): void {
    this.ensure(8);
    this.buf.writeBigInt64LE(BigInt(v), this.length);
    this.length += 8;
  }
  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }
  string(s: string): void {
    const b = Buffer.from(s, 'utf8');
    this.u64(b.length);
    this.bytes(b);
  }
  pad(alignment: number): void {
    const rem = this.length % alignment;
    if (rem === 0) return;
    const n = alignment - rem;
    this.ensure(n);
    this.buf.fill(0, this.length, this.length + n);
    this.length += n;
  }
  toBuffer(): Buffer {
    return this.buf.subarray(0, this.length);
  }
}

function alignUp(n: number, alignment: number): number {
  return Math.ceil(n / alignment) * alignment;
}

function writeScalar(sink: ByteSink, type: GgufScalarTypeName, v: Scalar, key: string): void {
  const num = (): number => {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new TypeError(`GGUF key "${key}": expected a finite number for ${type}, got ${String(v)}`);
    return v;
  };
  const int = (): number => {
    const n = num();
    if (!Number.isInteger(n)) throw new TypeError(`GGUF key "${key}": expected an integer for ${type}, got ${n}`);
    return n;
  };
  switch (type) {
    case 'u8':
      sink.u8(int());
      break;
    case 'i8':
      sink.i8(int());
      break;
    case 'u16':
      sink.u16(int());
      break;
    case 'i16':
      sink.i16(int());
      break;
    case 'u32':
      sink.u32(int());
      break;
    case 'i32':
      sink.i32(int());
      break;
    case 'f32':
      sink.f32(num());
      break;
    case 'f64':
      sink.f64(num());
      break;
    case 'u64':
      sink.u64(typeof v === 'bigint' ? v : int());
      break;
    case 'i64':
      sink.i64(typeof v === 'bigint' ? v : int());
      break;
    case 'bool':
      if (typeof v !== 'boolean') throw new TypeError(`GGUF key "${key}": expected a boolean, got ${String(v)}`);
      sink.u8(v ? 1 : 0);
      break;
    case 'string':
      if (typeof v !== 'string') throw new TypeError(`GGUF key "${key}": expected a string, got ${String(v)}`);
      sink.string(v);
      break;
  }
}

export class GgufWriter {
  readonly alignment: number;
  private readonly metadata = new Map<string, GgufMetadataValue>();
  private readonly tensors: GgufTensor[] = [];

  constructor(options: { alignment?: number } = {}) {
    this.alignment = options.alignment ?? GGUF_DEFAULT_ALIGNMENT;
    if (!Number.isInteger(this.alignment) || this.alignment <= 0 || this.alignment % 8 !== 0) {
      throw new RangeError(`GGUF alignment must be a positive multiple of 8, got ${this.alignment}`);
    }
    this.set('general.alignment', { type: 'u32', value: this.alignment });
  }

  /** Sets (or replaces) a metadata entry; entries are written in insertion order. */
  set(key: string, value: GgufMetadataValue): this {
    if (key === 'general.alignment' && this.metadata.has(key) && (value.type !== 'u32' || value.value !== this.alignment)) {
      throw new Error('general.alignment is fixed by the GgufWriter constructor');
    }
    this.metadata.set(key, value);
    return this;
  }
  string(key: string, value: string): this {
    return this.set(key, { type: 'string', value });
  }
  u32(key: string, value: number): this {
    return this.set(key, { type: 'u32', value });
  }
  i32(key: string, value: number): this {
    return this.set(key, { type: 'i32', value });
  }
  u64(key: string, value: number | bigint): this {
    return this.set(key, { type: 'u64', value });
  }
  f32(key: string, value: number): this {
    return this.set(key, { type: 'f32', value });
  }
  bool(key: string, value: boolean): this {
    return this.set(key, { type: 'bool', value });
  }
  array(key: string, itemType: GgufScalarTypeName, values: readonly Scalar[]): this {
    return this.set(key, { type: 'array', itemType, values });
  }

  /** `storage: 'f16'` stores the values as half floats (matrices of a realistic model); norms stay F32. */
  addTensor(name: string, dims: readonly number[], data: Float32Array, storage: TensorStorage = 'f32'): this {
    const elements = dims.reduce((a, b) => a * b, 1);
    if (dims.length === 0 || dims.length > 4 || dims.some((d) => !Number.isInteger(d) || d <= 0)) {
      throw new RangeError(`tensor "${name}": bad dims [${dims.join(', ')}]`);
    }
    if (elements !== data.length) {
      throw new RangeError(`tensor "${name}": dims [${dims.join(', ')}] need ${elements} values, got ${data.length}`);
    }
    if (this.tensors.some((t) => t.name === name)) throw new Error(`duplicate tensor "${name}"`);
    if (storage === 'q8_0' && (dims[0] ?? 0) % Q8_BLOCK !== 0)
      throw new RangeError(`tensor "${name}": Q8_0 needs rows of a multiple of ${Q8_BLOCK} values, got ${dims[0]}`);
    this.tensors.push({ name, dims: [...dims], data, storage });
    return this;
  }

  get tensorCount(): number {
    return this.tensors.length;
  }

  /** Magic, counts, metadata and tensor infos (offsets aligned), padded to the alignment: the bytes before any tensor data. */
  private head(infos: readonly { name: string; dims: readonly number[]; ggmlType: number; bytes: number }[]): {
    head: ByteSink;
    offsets: number[];
    dataBytes: number;
  } {
    const head = new ByteSink();
    head.bytes(Buffer.from('GGUF', 'ascii'));
    head.u32(3);
    head.u64(infos.length);
    head.u64(this.metadata.size);
    for (const [key, v] of this.metadata) {
      head.string(key);
      if (v.type === 'array') {
        head.u32(GgufType.ARRAY);
        head.u32(TYPE_IDS[v.itemType]);
        head.u64(v.values.length);
        for (const item of v.values) writeScalar(head, v.itemType, item, key);
      } else {
        head.u32(TYPE_IDS[v.type]);
        writeScalar(head, v.type, v.value, key);
      }
    }
    let offset = 0;
    const offsets: number[] = [];
    for (const t of infos) {
      offsets.push(offset);
      head.string(t.name);
      head.u32(t.dims.length);
      for (const d of t.dims) head.u64(d);
      head.u32(t.ggmlType);
      head.u64(offset);
      offset = alignUp(offset + t.bytes, this.alignment);
    }
    head.pad(this.alignment);
    return { head, offsets, dataBytes: offset };
  }

  /**
   * The header of a file whose tensor data the caller streams afterwards (models of gigabytes that
   * cannot be held in memory): tensor `i`'s data goes at `header.length + offsets[i]`, zero-padded
   * between tensors; the file is `header.length + dataBytes` long. Tensors added with addTensor are not included.
   */
  headerFor(infos: readonly { name: string; dims: readonly number[]; ggmlType: number; bytes: number }[]): {
    header: Buffer;
    offsets: number[];
    dataBytes: number;
  } {
    const { head, offsets, dataBytes } = this.head(infos);
    return { header: Buffer.from(head.toBuffer()), offsets, dataBytes };
  }

  toBuffer(): Buffer {
    const storageType = (st: TensorStorage | undefined): number =>
      st === 'q8_0' ? GgmlTensorType.Q8_0 : st === 'f16' ? GgmlTensorType.F16 : GgmlTensorType.F32;
    const {
      head,
      offsets,
      dataBytes: offset,
    } = this.head(
      this.tensors.map((t) => ({ name: t.name, dims: t.dims, ggmlType: storageType(t.storage), bytes: storageBytes(t.storage ?? 'f32', t.data.length) })),
    );
    const dataStart = head.length;
    const out = Buffer.alloc(dataStart + offset);
    head.toBuffer().copy(out, 0);
    this.tensors.forEach((t, i) => {
      const start = dataStart + (offsets[i] ?? 0);
      if (t.storage === 'q8_0') writeQ8_0(out, start, t.data);
      else if (t.storage === 'f16') for (let j = 0; j < t.data.length; j++) out.writeUInt16LE(toHalf(t.data[j] ?? 0), start + j * 2);
      else for (let j = 0; j < t.data.length; j++) out.writeFloatLE(t.data[j] ?? 0, start + j * 4);
    });
    return out;
  }

  async write(path: string): Promise<number> {
    const buf = this.toBuffer();
    await writeFile(path, buf);
    return buf.length;
  }
}
