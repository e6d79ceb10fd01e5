/** Model-library fixtures: a tiny model split into two GGUF parts (same weights as the single file). */
import { readFile } from 'node:fs/promises';
import { readGgufFileInfo } from 'node-llama-cpp';
import { GgufWriter } from '../tooling/ggufWriter';
import { buildTinyVocab, resolveTinyModelOptions, writeTinyModel, writeTinyModelHeader } from '../tooling/tinyModel';
import type { TinyModelOptions } from '../tooling/tinyModel';

/**
 * Writes `model` (a tiny model) as `<prefix>-00001-of-00002.gguf` + `<prefix>-00002-of-00002.gguf`,
 * tensors split in half, by copying the single file's tensors. Returns the two paths.
 */
export async function writeSplitTinyModel(single: string, prefix: string, options: TinyModelOptions): Promise<[string, string]> {
  await writeTinyModel(single, options);
  const o = resolveTinyModelOptions(options);
  const info = await readGgufFileInfo(single, { sourceType: 'filesystem', logWarnings: false });
  const bytes = await readFile(single);
  const tensors = info.fullTensorInfo ?? [];
  const vocab = buildTinyVocab();
  const parts = [new GgufWriter(), new GgufWriter()] as const;
  parts.forEach((w, i) => {
    w.set('split.no', { type: 'u16', value: i }).set('split.count', { type: 'u16', value: 2 }).i32('split.tensors.count', tensors.length);
  });
  writeTinyModelHeader(parts[0], o, vocab, `${o.name}-split`);
  const half = Math.ceil(tensors.length / 2);
  tensors.forEach((t, i) => {
    if (t.ggmlType !== 0) throw new Error(`writeSplitTinyModel copies F32 tensors only (${t.name} has ggml type ${t.ggmlType})`);
    const dims = t.dimensions.map(Number);
    const count = dims.reduce((a, b) => a * b, 1);
    const start = Number(t.fileOffset);
    const data = new Float32Array(bytes.buffer.slice(bytes.byteOffset + start, bytes.byteOffset + start + count * 4));
    (i < half ? parts[0] : parts[1]).addTensor(t.name, dims, data);
  });
  const p1 = `${prefix}-00001-of-00002.gguf`;
  const p2 = `${prefix}-00002-of-00002.gguf`;
  await parts[0].write(p1);
  await parts[1].write(p2);
  return [p1, p2];
}
