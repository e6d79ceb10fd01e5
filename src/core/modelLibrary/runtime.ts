/**
 * Loading and unloading models explicitly (the UI's load button, with progress and cancel),
 * and what the runtime holds: backend, devices, memory, loaded models.
 */
import type { EventSink } from '../../shared/contract';
import type { LoadedModelInfo, RuntimeInfo } from '../../shared/models';
import type { InferenceEngineApi } from '../inference/engineApi';
import { BadInputError } from '../errors';

export interface RuntimeDeps {
  engine: () => InferenceEngineApi;
  emit: EventSink;
  loads: Map<string, AbortController>;
}

export async function loadModelWithProgress(
  deps: RuntimeDeps,
  args: { path: string; gpuLayers?: 'auto' | 'max' | number; threads?: number; mmap?: boolean; loadId: string },
): Promise<LoadedModelInfo> {
  const engine = deps.engine();
  const controller = new AbortController();
  deps.loads.set(args.loadId, controller);
  let last = -1;
  try {
    const loaded = await engine.loadModel(args.path, {
      ...(args.gpuLayers !== undefined ? { gpuLayers: args.gpuLayers } : {}),
      ...(args.threads !== undefined ? { threads: args.threads } : {}),
      ...(args.mmap !== undefined ? { mmap: args.mmap } : {}),
      signal: controller.signal,
      onProgress: (progress) => {
        // At most one event per percent: the UI draws a bar, not a log.
        const pct = Math.floor(progress * 100);
        if (pct === last) return;
        last = pct;
        deps.emit('modelLoadProgress', { loadId: args.loadId, path: args.path, progress, done: false });
      },
    });
    deps.emit('modelLoadProgress', { loadId: args.loadId, path: args.path, progress: 1, done: true });
    return loaded;
  } catch (err) {
    deps.emit('modelLoadProgress', { loadId: args.loadId, path: args.path, progress: Math.max(0, last) / 100, done: true });
    if (controller.signal.aborted) throw new BadInputError(`loading ${args.path} was cancelled`);
    throw err;
  } finally {
    deps.loads.delete(args.loadId);
  }
}

export async function unloadModel(deps: RuntimeDeps, path: string): Promise<boolean> {
  const engine = deps.engine();
  if (!(await engine.loadedModels()).some((m) => m.path === path)) return false;
  await engine.unloadModel(path);
  return true;
}

export async function runtimeInfo(deps: RuntimeDeps): Promise<RuntimeInfo> {
  const engine = deps.engine();
  const llama = await engine.getLlama();
  const [backend, vram, ram] = await Promise.all([engine.backendInfo(), llama.getVramState(), llama.getRamState()]);
  const loaded: LoadedModelInfo[] = await engine.loadedModels();
  return {
    ...backend,
    vram: { total: vram.total, used: vram.used, free: vram.free },
    ram: { total: ram.total, used: ram.total - ram.free, free: ram.free },
    loaded,
  };
}
