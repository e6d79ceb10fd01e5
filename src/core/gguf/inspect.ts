/**
 * Reads a GGUF model's (or LoRA adapter's) header without loading its weights.
 */
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { GgufInsights } from 'node-llama-cpp';
import { loadedLlamaLib, loadLlamaLib } from '../inference/llamaLib';
import type { GgufFileInfo, GgufTensorInfo, Llama } from 'node-llama-cpp';
import { describeFile, ModelFileError } from './errors';
import { GGML_TYPE_SIZES, GgufValidationError, validateGgufFile } from './validate';

export interface ModelFileInfo {
  /** The path inspected (for split models: the first part). */
  path: string;
  fileName: string;
  /** `general.type`: "model" unless the file says "adapter" (LoRA, control vector...). */
  kind: 'model' | 'adapter';
  /** For adapters: `adapter.type` (e.g. "lora"). */
  adapterType?: string;
  /** For LoRA adapters: `adapter.lora.alpha`. */
  loraAlpha?: number;
  /** `general.architecture`, e.g. "llama", "qwen2". */
  architecture: string;
  /** Whether the bundled llama.cpp knows this architecture. */
  architectureSupported: boolean;
  name?: string;
  ggufVersion: number;
  tensorCount: number;
  /** Total parameters counted from the tensor shapes. */
  parameterCount: number;
  /** `general.file_type` number and name (e.g. 15 / "MOSTLY_Q4_K_M"). */
  fileType?: number;
  fileTypeName?: string;
  /** The most common tensor type, e.g. "Q4_K", "F32". */
  dominantTensorType?: string;
  /** Context length the model was trained on. */
  trainContextLength?: number;
  embeddingLength?: number;
  layerCount?: number;
  headCount?: number;
  headCountKv?: number;
  vocabularySize?: number;
  tokenizerModel?: string;
  hasChatTemplate: boolean;
  /** Bytes on disk, summed over all parts. */
  sizeBytes: number;
  /** Split models (`name-00001-of-00003.gguf`): every part, in order; otherwise just `[path]`. */
  parts: string[];
}

const SPLIT_RE = /-(\d{5})-of-(\d{5})\.gguf$/i;

/** `[first part, ...]` for split names; `[path]` otherwise. Accepts any part's path. */
export function resolveSplitParts(path: string): string[] {
  const m = SPLIT_RE.exec(path);
  if (!m) return [path];
  const total = Number(m[2]);
  const prefix = path.slice(0, m.index);
  const width = m[2]?.length ?? 5;
  const parts: string[] = [];
  for (let i = 1; i <= total; i++) parts.push(`${prefix}-${String(i).padStart(width, '0')}-of-${m[2]}.gguf`);
  return parts;
}

function tensorBytes(t: GgufTensorInfo): number | undefined {
  const size = GGML_TYPE_SIZES[t.ggmlType];
  if (!size) return undefined;
  const elements = t.dimensions.reduce<number>((a, d) => a * Number(d), 1);
  return (elements / size[0]) * size[1];
}

/** Throws `truncated` when the header or any tensor's data runs past the end of its file part. */
function checkComplete(info: GgufFileInfo, parts: string[], partSizes: number[]): void {
  const firstSize = partSizes[0] ?? 0;
  if (info.infoEndOffset !== undefined && info.infoEndOffset > firstSize) {
    throw new ModelFileError(
      'truncated',
      parts[0] ?? '',
      `Model file ${describeFile(parts[0] ?? '')} is truncated: its header needs ${info.infoEndOffset} bytes but the file has ${firstSize}.`,
    );
  }
  for (const t of info.fullTensorInfo ?? []) {
    const partIndex = (t.filePart ?? 1) - 1;
    const file = parts[partIndex] ?? parts[0] ?? '';
    const fileSize = partSizes[partIndex] ?? 0;
    const start = Number(t.fileOffset);
    const bytes = tensorBytes(t) ?? 0;
    if (start + bytes > fileSize) {
      throw new ModelFileError(
        'truncated',
        file,
        `Model file ${describeFile(file)} is truncated: tensor "${t.name}" needs bytes up to ${start + bytes} but the file has ${fileSize}.`,
      );
    }
  }
}

function num(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  return undefined;
}

/**
 * Validates every part's header (gguf/validate.ts) and turns its verdict into a ModelFileError:
 * `not_gguf`, `truncated` or `invalid`, with an "Invalid model file" message that names the file
 * and the reason but never quotes the file's bytes.
 */
async function validateParts(parts: readonly string[]): Promise<void> {
  try {
    await validateGgufFile(parts);
  } catch (err) {
    if (!(err instanceof GgufValidationError)) throw err;
    const file = describeFile(err.file);
    if (err.kind === 'not_gguf') throw new ModelFileError('not_gguf', err.file, `File ${file} is not a GGUF model: ${err.reason}.`, { cause: err });
    if (err.kind === 'truncated')
      throw new ModelFileError('truncated', err.file, `Invalid model file ${file}: it is truncated or corrupt: ${err.reason}.`, { cause: err });
    throw new ModelFileError('invalid', err.file, `Invalid model file ${file}: ${err.reason}.`, { cause: err });
  }
}

/**
 * Reads the header of a GGUF file (model or adapter). Errors are `ModelFileError`s naming the file:
 * missing file or split part, not a GGUF file, truncated header or tensor data, and headers that
 * are malformed or out of bounds (`invalid`: checked before any other parser reads the file).
 */
export async function inspectModelFile(path: string, options: { llama?: Llama; signal?: AbortSignal } = {}): Promise<ModelFileInfo> {
  const parts = resolveSplitParts(path);
  const first = parts[0] ?? path;
  const partSizes: number[] = [];
  for (const part of parts) {
    try {
      const s = await stat(part);
      if (!s.isFile()) throw new ModelFileError('not_gguf', part, `Model path ${describeFile(part)} is not a file.`);
      partSizes.push(s.size);
    } catch (err) {
      if (err instanceof ModelFileError) throw err;
      if (part === path || parts.length === 1) {
        throw new ModelFileError('not_found', part, `Model file ${describeFile(part)} does not exist.`, { cause: err });
      }
      throw new ModelFileError(
        'split_part_missing',
        part,
        `Split model ${describeFile(first)} is missing part ${describeFile(part)} (${parts.length} parts expected).`,
        { cause: err },
      );
    }
  }

  await validateParts(parts);

  let info: GgufFileInfo;
  try {
    info = await (
      await loadLlamaLib()
    ).readGgufFileInfo(first, {
      sourceType: 'filesystem',
      logWarnings: false,
      ignoreKeys: ['tokenizer.ggml.merges', 'tokenizer.ggml.token_type', 'tokenizer.ggml.scores'],
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    // node-llama-cpp's magic error quotes the file's first bytes: never pass those on.
    if (/magic/i.test(msg)) {
      throw new ModelFileError('not_gguf', first, `File ${describeFile(first)} is not a GGUF model.`, { cause: err });
    }
    if ((partSizes[0] ?? 0) < 24 || /out of range|outside|beyond|end of|RangeError/i.test(msg) || err instanceof RangeError) {
      throw new ModelFileError('truncated', first, `Model file ${describeFile(first)} is truncated or corrupt: ${msg}`, { cause: err });
    }
    throw new ModelFileError('not_gguf', first, `Cannot read GGUF header of ${describeFile(first)}: ${msg}`, { cause: err });
  }
  checkComplete(info, parts, partSizes);

  let insights: GgufInsights;
  try {
    insights = await (await loadLlamaLib()).GgufInsights.from(info, options.llama);
  } catch (err) {
    throw new ModelFileError('not_gguf', first, `Cannot analyse ${describeFile(first)}: ${err instanceof Error ? err.message : String(err)}`, {
      cause: err,
    });
  }

  const meta = info.metadata as unknown as Record<string, Record<string, unknown> | undefined>;
  const general = meta.general ?? {};
  const architecture = typeof general.architecture === 'string' ? general.architecture : '';
  const arch = (architecture && meta[architecture]) || {};
  const attention = (arch.attention ?? {}) as Record<string, unknown>;
  const adapter = meta.adapter ?? {};
  const tokenizer = meta.tokenizer ?? {};
  const ggml = (tokenizer.ggml ?? {}) as Record<string, unknown>;
  const lora = (adapter.lora ?? {}) as Record<string, unknown>;
  const kind: ModelFileInfo['kind'] = general.type === 'adapter' || typeof adapter.type === 'string' ? 'adapter' : 'model';
  const fileType = num(general.file_type);
  const dominant = insights.dominantTensorType;
  const tokens = ggml.tokens;

  const result: ModelFileInfo = {
    path: first,
    fileName: basename(first),
    kind,
    architecture,
    architectureSupported: architecture !== '' && insights.isSupportedByLlamaCpp,
    ggufVersion: info.version,
    tensorCount: Number(info.totalTensorCount),
    parameterCount: insights.totalParameters,
    hasChatTemplate: typeof tokenizer.chat_template === 'string' && tokenizer.chat_template.length > 0,
    sizeBytes: partSizes.reduce((a, b) => a + b, 0),
    parts,
  };
  if (typeof general.name === 'string') result.name = general.name;
  if (kind === 'adapter' && typeof adapter.type === 'string') result.adapterType = adapter.type;
  const alpha = num(lora.alpha);
  if (alpha !== undefined) result.loraAlpha = alpha;
  if (fileType !== undefined) {
    result.fileType = fileType;
    const name = (loadedLlamaLib().GgufFileType as unknown as Record<number, string | undefined>)[fileType];
    if (name) result.fileTypeName = name;
  }
  if (dominant !== undefined) {
    const name = (loadedLlamaLib().GgmlType as unknown as Record<number, string | undefined>)[dominant];
    if (name) result.dominantTensorType = name;
  }
  const setNum = (key: keyof ModelFileInfo, v: unknown): void => {
    const n = num(v);
    if (n !== undefined) (result as unknown as Record<string, unknown>)[key] = n;
  };
  if (kind === 'model') {
    setNum('trainContextLength', insights.trainContextSize ?? arch.context_length);
    setNum('embeddingLength', arch.embedding_length);
    setNum('layerCount', arch.block_count);
    setNum('headCount', attention.head_count);
    setNum('headCountKv', attention.head_count_kv);
    setNum('vocabularySize', Array.isArray(tokens) ? tokens.length : arch.vocab_size);
  }
  if (typeof ggml.model === 'string') result.tokenizerModel = ggml.model;
  return result;
}
