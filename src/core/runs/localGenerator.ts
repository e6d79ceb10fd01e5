import os from 'node:os';
import path from 'node:path';
import type { LocalModelSpec } from '../../shared/runs';
import type { InferenceEngineApi } from '../inference/engineApi';
import type { GenerateRequest } from '../inference/types';
import type { Generator } from './runner';

/** The model file and its adapters (with scales other than 1), as runs are listed: `base.gguf + lora.gguf×0.5`. */
export function localModelLabel(model: LocalModelSpec): string {
  return [
    path.basename(model.path),
    ...(model.loras ?? []).map((l) => `+ ${path.basename(l.path)}${l.scale !== undefined && l.scale !== 1 ? `×${l.scale}` : ''}`),
  ].join(' ');
}

/** A run on the local engine: one loaded model shared by base and LoRA contexts, N parallel sequences. */
export function localGenerator(engine: InferenceEngineApi, model: LocalModelSpec): Generator {
  const loras = model.loras?.map((l) => ({ path: l.path, ...(l.scale !== undefined ? { scale: l.scale } : {}) }));
  return {
    label: localModelLabel(model),
    async describe() {
      // The model first: the engine process that loads it also answers for the backend.
      const loaded = await engine.loadModel(model.path, {
        ...(model.gpuLayers !== undefined ? { gpuLayers: model.gpuLayers } : {}),
        ...(model.threads !== undefined ? { threads: model.threads } : {}),
      });
      const backend = await engine.backendInfo();
      if (model.chatTemplate !== undefined) await engine.checkChatTemplate(model.path, model.chatTemplate);
      return {
        ...backend,
        model: {
          path: model.path,
          architecture: loaded.architecture,
          parameterCount: loaded.parameterCount,
          sizeBytes: loaded.sizeBytes,
          gpuLayers: loaded.gpuLayers,
        },
        loras: model.loras ?? [],
        threads: model.threads ?? null,
        contextSize: model.contextSize ?? null,
        batchSize: model.batchSize ?? null,
        flashAttention: model.flashAttention ?? null,
        chatTemplate: model.chatTemplate ?? null,
        truncate: model.truncate ?? 'error',
        maxPromptTokens: model.maxPromptTokens ?? null,
        cpu: os.cpus()[0]?.model.trim() ?? 'unknown',
        cpuCount: os.cpus().length,
        memoryBytes: os.totalmem(),
        platform: `${process.platform}-${process.arch}`,
      };
    },
    async generateMany(requests, opts) {
      const reqs: GenerateRequest[] = requests.map((r) => ({
        ...r,
        modelPath: model.path,
        ...(loras?.length ? { loraPaths: loras } : {}),
        ...(model.contextSize !== undefined ? { contextSize: model.contextSize } : {}),
        ...(model.threads !== undefined ? { threads: model.threads } : {}),
        ...(model.batchSize !== undefined ? { batchSize: model.batchSize } : {}),
        ...(model.flashAttention !== undefined ? { flashAttention: model.flashAttention } : {}),
        ...(model.chatTemplate !== undefined ? { chatTemplate: model.chatTemplate } : {}),
        ...(model.truncate !== undefined ? { truncate: model.truncate } : {}),
        ...(model.maxPromptTokens !== undefined ? { maxPromptTokens: model.maxPromptTokens } : {}),
      }));
      await engine.generateBatch(reqs, {
        parallel: opts.parallel,
        signal: opts.signal,
        onResult: (i, r) => opts.onResult(i, r.status === 'fulfilled' ? { ok: true, value: r.value } : { ok: false, error: r.reason }),
      });
    },
  };
}
