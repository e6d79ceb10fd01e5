/**
 * Crafted ("hostile") GGUF files for the security tests: the tiny test model with one header
 * field patched in place to a value that makes llama.cpp assert (abort the process) or misread
 * the file. Each is what an attacker could drop into a watched models folder or serve for a pull.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildTinyModel } from '../tooling/tinyModel';
import { TINY } from './fixtures';

/** Offset of the value of metadata key `key` (u64 length, key bytes, u32 type, value). */
function valueOffset(buf: Buffer, key: string, type: number): number {
  const needle = Buffer.alloc(8 + key.length);
  needle.writeBigUInt64LE(BigInt(key.length), 0);
  needle.write(key, 8, 'latin1');
  const at = buf.indexOf(needle);
  if (at < 0) throw new Error(`key ${key} not in the tiny model`);
  const typeAt = at + needle.length;
  if (buf.readUInt32LE(typeAt) !== type) throw new Error(`key ${key} is not of type ${type}`);
  return typeAt + 4;
}

/** Offset of the u64 data offset in tensor `name`'s info. */
function tensorOffsetField(buf: Buffer, name: string): number {
  const needle = Buffer.alloc(8 + name.length);
  needle.writeBigUInt64LE(BigInt(name.length), 0);
  needle.write(name, 8, 'latin1');
  const at = buf.lastIndexOf(needle);
  if (at < 0) throw new Error(`tensor ${name} not in the tiny model`);
  const nDims = buf.readUInt32LE(at + needle.length);
  return at + needle.length + 4 + nDims * 8 + 4;
}

const U32 = 4;

export interface HostileCase {
  name: string;
  /** What the validator must say (a fragment of the reason). */
  reason: RegExp;
  /** The ModelFileError problem expected. */
  problem: 'invalid' | 'truncated' | 'not_gguf';
  craft(buf: Buffer): void;
}

export const HOSTILE_CASES: readonly HostileCase[] = [
  {
    name: 'absurd-block-count',
    problem: 'invalid',
    reason: /block_count is 1000000000/,
    craft: (b) => b.writeUInt32LE(1_000_000_000, valueOffset(b, 'llama.block_count', U32)),
  },
  { name: 'bad-version', problem: 'invalid', reason: /unsupported GGUF version 7/, craft: (b) => b.writeUInt32LE(7, 4) },
  {
    name: 'bad-alignment',
    problem: 'invalid',
    reason: /general\.alignment is 24/,
    craft: (b) => b.writeUInt32LE(24, valueOffset(b, 'general.alignment', U32)),
  },
  {
    name: 'tensor-past-eof',
    problem: 'truncated',
    reason: /tensor ".*" needs bytes up to 1099511\d+ but the file has/,
    craft: (b) => b.writeBigUInt64LE(1n << 40n, tensorOffsetField(b, 'output.weight')),
  },
  {
    name: 'absurd-embedding-length',
    problem: 'invalid',
    reason: /embedding_length is 1073741824/,
    craft: (b) => b.writeUInt32LE(1 << 30, valueOffset(b, 'llama.embedding_length', U32)),
  },
  {
    name: 'embedding-mismatch',
    problem: 'invalid',
    reason: /token_embd\.weight is 64 wide but embedding_length is 128/,
    craft: (b) => b.writeUInt32LE(128, valueOffset(b, 'llama.embedding_length', U32)),
  },
  { name: 'absurd-tensor-count', problem: 'invalid', reason: /declares 1099511627776 tensors/, craft: (b) => b.writeBigUInt64LE(1n << 40n, 8) },
  {
    name: 'absurd-head-count',
    problem: 'invalid',
    reason: /head_count is 100000/,
    craft: (b) => b.writeUInt32LE(100_000, valueOffset(b, 'llama.attention.head_count', U32)),
  },
  {
    name: 'kv-heads-over-heads',
    problem: 'invalid',
    reason: /head_count_kv \(9\) is more than attention\.head_count \(4\)/,
    craft: (b) => b.writeUInt32LE(9, valueOffset(b, 'llama.attention.head_count_kv', U32)),
  },
  {
    name: 'huge-array',
    problem: 'invalid',
    reason: /metadata array ".*" claims 1099511627776 items/,
    craft: (b) => b.writeBigUInt64LE(1n << 40n, valueOffset(b, 'tokenizer.ggml.tokens', 9) + 4),
  },
];

/** Writes every hostile case into `dir` as `<name>.gguf`; returns name → path. */
export async function writeHostileModels(dir: string, cases: readonly HostileCase[] = HOSTILE_CASES): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const c of cases) {
    const buf = Buffer.from(buildTinyModel(TINY));
    c.craft(buf);
    const file = join(dir, `${c.name}.gguf`);
    await writeFile(file, buf);
    out.set(c.name, file);
  }
  return out;
}
