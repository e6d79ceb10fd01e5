/**
 * The file-access checks of each file-facing call, applied at the service boundary before the
 * call's own code sees a path: every path is checked by FileAccess and replaced by its resolved
 * absolute form (so the call opens exactly what was checked, whatever its own working folder),
 * and errors and results of model calls are scrubbed of quoted file contents.
 */
import path from 'node:path';
import type { CallArgs } from '../../shared/contract';
import type { ModelAddResult, ModelList } from '../../shared/models';
import type { RunSpec } from '../../shared/runs';
import type { Generator } from '../runs/runner';
import { resolveApiKey } from '../inference/remote/keys';
import type { FileAccess } from './access';
import { scrubError, scrubMessage } from './scrub';

/** The library lookups `generate` makes before it treats its `model` as a path. */
export interface ModelLookup {
  findById(id: number): unknown;
  findByName(name: string): { models: unknown[]; config: unknown };
}

/** A checked path, resolved the way FileAccess resolves it (its real path was checked). */
function checked(files: FileAccess, p: string, what: string, field: string): string {
  files.checkRead(p, what, { field });
  return files.resolveRead(p);
}

async function checkedTree(files: FileAccess, p: string, what: string, field: string): Promise<string> {
  await files.checkTree(p, what, { field });
  return files.resolveRead(p);
}

/** previewImport / importPaths: every path, and every link inside a folder, must be readable. */
export async function guardImportPaths(files: FileAccess, paths: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const [i, p] of paths.entries()) out.push(await checkedTree(files, p, 'import path', `paths.${i}`));
  return out;
}

export function guardPredictionsFile(files: FileAccess, file: string): string {
  return checked(files, file, 'predictions file', 'file');
}

export async function guardModelPaths(files: FileAccess, paths: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const [i, p] of paths.entries()) out.push(await checkedTree(files, p, 'model path', `paths.${i}`));
  return out;
}

export function guardInspect(files: FileAccess, args: CallArgs<'inspectModel'>): CallArgs<'inspectModel'> {
  return args.path === undefined ? args : { ...args, path: checked(files, args.path, 'model file', 'path') };
}

export function guardLoad(files: FileAccess, args: CallArgs<'loadModel'>): CallArgs<'loadModel'> {
  return { ...args, path: checked(files, args.path, 'model file', 'path') };
}

/**
 * `generate` takes a library id, a model or configuration name, or a path. Ids and names of
 * what is in the library pass (their files were checked when added); anything else is a path.
 * Confined, that path is checked; unconfined, it is left for generate to resolve as before.
 */
export function guardGenerate(files: FileAccess, library: ModelLookup, args: CallArgs<'generate'>): CallArgs<'generate'> {
  let model = args.model;
  if (typeof model === 'string' && files.confine) {
    const ref = model;
    const isId = /^\d+$/.test(ref) && library.findById(Number(ref)) !== undefined;
    const looksLikePath = ref.toLowerCase().endsWith('.gguf') || /[\\/]/.test(ref) || ref.startsWith('~');
    const named =
      !looksLikePath &&
      (() => {
        const found = library.findByName(ref);
        return found.models.length > 0 || found.config !== undefined;
      })();
    if (!isId && !named) model = checked(files, ref, 'model file', 'model');
  }
  const adapters = args.adapters?.map((a, i) => (a.path === undefined ? a : { ...a, path: checked(files, a.path, 'adapter file', `adapters.${i}.path`) }));
  return { ...args, ...(model !== undefined ? { model } : {}), ...(adapters ? { adapters } : {}) };
}

/**
 * createRun. A local model: the model and adapter files are read when the run starts. A remote
 * one, confined: its key variable must be bound to its base URL (said now, before a run exists).
 */
export function guardRunSpec(files: FileAccess, spec: RunSpec): RunSpec {
  if (spec.model.kind === 'remote') {
    if (files.confine) resolveApiKey(spec.model, { home: files.home });
    return spec;
  }
  const m = spec.model;
  return {
    ...spec,
    model: {
      ...m,
      path: checked(files, m.path, 'model file', 'model.path'),
      ...(m.loras ? { loras: m.loras.map((l, i) => ({ ...l, path: checked(files, l.path, 'adapter file', `model.loras.${i}.path`) })) } : {}),
    },
  };
}

/** Paths and names the caller sent: quoting them back is not quoting a file. */
function keepList(values: readonly (string | undefined)[]): string[] {
  const out: string[] = [];
  for (const v of values) if (v) out.push(v, path.resolve(v), path.basename(v));
  return out;
}

/**
 * Runs a model call with its errors scrubbed: parsers of model files quote the bytes they found
 * (a GGUF magic check prints the first four bytes of whatever file it was given).
 */
export async function withScrubbedErrors<T>(keep: readonly (string | undefined)[], call: () => Promise<T> | T): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw scrubError(err, keepList(keep));
  }
}

/** addModels and rescanModels results: the reasons files in a folder were skipped. */
export function scrubAddResult<T extends Pick<ModelAddResult, 'skipped'>>(result: T): T {
  return { ...result, skipped: result.skipped.map((s) => ({ ...s, message: scrubMessage(s.message, keepList([s.file])) })) };
}

export function scrubModelList(list: ModelList): ModelList {
  return { ...list, invalid: list.invalid.map((f) => ({ ...f, reason: scrubMessage(f.reason, keepList([f.path])) })) };
}

/**
 * Import errors: our importers name file, line and field, and a preview shows records anyway;
 * what must go is the parser's snippet of a file that is not what it claims (JSON.parse quotes
 * the first bytes of any file given to it).
 */
export function scrubParserSnippets(err: unknown): unknown {
  if (!(err instanceof Error)) return err;
  const clean = err.message.replace(
    /Unexpected token '(?:[^'\\]|\\.)*',\s*(?:"[^"]*"(?:\.\.\.)?|…)\s*is not valid JSON/g,
    'Unexpected token (file contents not shown): not valid JSON',
  );
  if (clean === err.message) return err;
  err.message = clean;
  return err;
}

/**
 * A local run's generator with its errors scrubbed: a run stores and shows why its model failed,
 * and that reason must not carry the first bytes of the file it was pointed at.
 */
export function scrubGenerator(gen: Generator, keep: readonly (string | undefined)[]): Generator {
  const list = keepList(keep);
  const clean = (err: unknown): Error => {
    const e = scrubError(err, list);
    return e instanceof Error ? e : new Error(String(e));
  };
  return {
    label: gen.label,
    describe: () => gen.describe().catch((err: unknown) => Promise.reject(clean(err))),
    generateMany: (requests, opts) =>
      gen
        .generateMany(requests, { ...opts, onResult: (i, outcome) => opts.onResult(i, outcome.ok ? outcome : { ok: false, error: clean(outcome.error) }) })
        .catch((err: unknown) => Promise.reject(clean(err))),
  };
}
