/**
 * Finding GGUF files on disk and reading what the library records about each one, from the
 * header only (weights are never loaded here).
 */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { loadLlamaLib } from '../inference/llamaLib';
import type { GgufFileInfo, Llama } from 'node-llama-cpp';
import type { ModelHeader, ModelKind } from '../../shared/models';
import { describeFile, ModelFileError } from '../gguf/errors';
import { inspectModelFile, resolveSplitParts } from '../gguf/inspect';
import type { ModelFileInfo } from '../gguf/inspect';

export interface FileStamp {
  path: string;
  size: number;
  mtimeMs: number;
}

/** 2-D tensor shapes: for models `name → [in, out]` of each matrix; for LoRA adapters the matrices they change. */
export type TensorShapes = Record<string, [number, number]>;

export interface ReadModel {
  path: string;
  kind: ModelKind;
  info: ModelFileInfo;
  header: ModelHeader;
  shapes: TensorShapes;
  parts: FileStamp[];
  gguf: GgufFileInfo;
}

const SPLIT_RE = /-(\d{5})-of-(\d{5})\.gguf$/i;

export function isGgufName(name: string): boolean {
  return name.toLowerCase().endsWith('.gguf');
}

/** The display name: `general.name`, else the file name without `.gguf` and the split suffix. */
export function defaultModelName(file: string, header: Pick<ModelHeader, 'name'>): string {
  if (header.name && header.name.trim()) return header.name.trim();
  const base = path.basename(file);
  return base.replace(SPLIT_RE, '').replace(/\.gguf$/i, '');
}

/**
 * Walks `root` recursively for `.gguf` files; split models appear once, as their first part.
 * Hidden folders and symlinked folders are not entered (no loops). Sorted for stable ids.
 */
export async function findGgufFiles(root: string): Promise<string[]> {
  const found = new Set<string>();
  const walk = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (err) {
      if (dir === root) throw err;
      return; // unreadable subfolder: skip it
    }
    for (const e of entries) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (!e.name.startsWith('.')) await walk(full);
      } else if ((e.isFile() || e.isSymbolicLink()) && isGgufName(e.name)) {
        if (e.isSymbolicLink()) {
          const s = await stat(full).catch(() => null);
          if (!s?.isFile()) continue;
        }
        found.add(resolveSplitParts(full)[0] ?? full);
      }
    }
  };
  await walk(root);
  return [...found].sort();
}

export async function stampFiles(parts: readonly string[]): Promise<FileStamp[]> {
  const out: FileStamp[] = [];
  for (const p of parts) {
    const s = await stat(p);
    out.push({ path: p, size: s.size, mtimeMs: s.mtimeMs });
  }
  return out;
}

function num(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'bigint') return Number(v);
  return null;
}

/** Matrices an adapter changes: `X.lora_a` [in, rank] with `X.lora_b` [rank, out] changes `X` [in, out]. */
export function adapterShapes(gguf: GgufFileInfo): { shapes: TensorShapes; rank: number | null } {
  const a = new Map<string, number[]>();
  const b = new Map<string, number[]>();
  for (const t of gguf.fullTensorInfo ?? []) {
    const dims = t.dimensions.map(Number);
    if (t.name.endsWith('.lora_a')) a.set(t.name.slice(0, -'.lora_a'.length), dims);
    else if (t.name.endsWith('.lora_b')) b.set(t.name.slice(0, -'.lora_b'.length), dims);
  }
  const shapes: TensorShapes = {};
  let rank: number | null = null;
  for (const [name, da] of a) {
    const db = b.get(name);
    if (!db || da.length !== 2 || db.length !== 2) continue;
    shapes[name] = [da[0] ?? 0, db[1] ?? 0];
    rank ??= da[1] ?? null;
  }
  return { shapes, rank };
}

export function modelShapes(gguf: GgufFileInfo): TensorShapes {
  const shapes: TensorShapes = {};
  for (const t of gguf.fullTensorInfo ?? []) {
    if (t.dimensions.length === 2) shapes[t.name] = [Number(t.dimensions[0]), Number(t.dimensions[1])];
  }
  return shapes;
}

/** Every matrix the adapter changes exists in the model with the same shape. */
export function shapesCompatible(adapter: TensorShapes, model: TensorShapes): boolean {
  const names = Object.keys(adapter);
  if (names.length === 0) return false;
  for (const name of names) {
    const m = model[name];
    const a = adapter[name];
    if (!m || !a || m[0] !== a[0] || m[1] !== a[1]) return false;
  }
  return true;
}

/**
 * Reads a model or adapter file's header (validated by `inspectModelFile`: missing, not GGUF,
 * truncated and missing split parts are `ModelFileError`s naming the file).
 */
export async function readModelFile(file: string, llama?: Llama): Promise<ReadModel> {
  const info = await inspectModelFile(file, llama ? { llama } : {});
  let gguf: GgufFileInfo;
  try {
    gguf = await (
      await loadLlamaLib()
    ).readGgufFileInfo(info.path, {
      sourceType: 'filesystem',
      logWarnings: false,
      ignoreKeys: ['tokenizer.ggml.merges', 'tokenizer.ggml.token_type', 'tokenizer.ggml.scores', 'tokenizer.ggml.tokens'],
    });
  } catch (err) {
    throw new ModelFileError(
      'not_gguf',
      info.path,
      `Cannot read GGUF header of ${describeFile(info.path)}: ${err instanceof Error ? err.message : String(err)}`,
      {
        cause: err,
      },
    );
  }
  const parts = await stampFiles(info.parts);
  const meta = gguf.metadata as unknown as Record<string, Record<string, unknown> | undefined>;
  const tokenizer = meta.tokenizer ?? {};
  const general = meta.general ?? {};
  const baseModels = general.base_model as Record<string, Record<string, unknown> | undefined> | undefined;
  const baseHint = baseModels?.['0']?.name;
  const chatTemplate = typeof tokenizer.chat_template === 'string' && tokenizer.chat_template.length > 0 ? tokenizer.chat_template : null;
  const { shapes: aShapes, rank } = info.kind === 'adapter' ? adapterShapes(gguf) : { shapes: {}, rank: null };
  const header: ModelHeader = {
    architecture: info.architecture,
    architectureSupported: info.architectureSupported,
    name: info.name ?? null,
    ggufVersion: info.ggufVersion,
    tensorCount: info.tensorCount,
    parameterCount: info.parameterCount,
    quantization: info.fileTypeName ?? info.dominantTensorType ?? null,
    fileType: info.fileType ?? null,
    dominantTensorType: info.dominantTensorType ?? null,
    trainContextLength: info.trainContextLength ?? null,
    layerCount: info.layerCount ?? null,
    embeddingLength: info.embeddingLength ?? null,
    headCount: info.headCount ?? null,
    headCountKv: info.headCountKv ?? null,
    vocabularySize: info.vocabularySize ?? null,
    tokenizerModel: info.tokenizerModel ?? null,
    chatTemplate,
    sizeBytes: info.sizeBytes,
    adapterType: info.adapterType ?? null,
    loraAlpha: num(info.loraAlpha),
    loraRank: rank,
    adapterTargets: info.kind === 'adapter' ? Object.keys(aShapes).length : null,
    baseModelHint: typeof baseHint === 'string' ? baseHint : null,
  };
  return {
    path: info.path,
    kind: info.kind,
    info,
    header,
    shapes: info.kind === 'adapter' ? aShapes : modelShapes(gguf),
    parts,
    gguf,
  };
}
