/** A run on an OpenAI-compatible server (vLLM, TGI, llama.cpp server, Ollama). */
import type { RemoteModelSpec } from '../../shared/runs';
import { apiKeyForRun } from '../inference/remote/keys';
import { RemoteBackend } from '../inference/remote/remoteBackend';
import type { Generator } from './runner';

export interface RemoteGeneratorOptions {
  env?: NodeJS.ProcessEnv;
  /** The data directory (its remote-keys.json registers key variables). */
  home?: string;
  /**
   * The run came through a host that serves pages (browser, Electron): its key variable must be
   * one the user bound to this base URL (inference/remote/keys.ts). The CLI names any variable:
   * the user typed it in their own shell.
   */
  confine?: boolean;
}

export function remoteGenerator(spec: RemoteModelSpec, opts: RemoteGeneratorOptions = {}): Generator {
  const apiKey = apiKeyForRun(spec, opts);
  const backend = new RemoteBackend({
    baseUrl: spec.baseUrl,
    model: spec.model,
    ...(apiKey ? { apiKey } : {}),
    ...(spec.concurrency ? { concurrency: spec.concurrency } : {}),
    ...(spec.timeoutMs ? { timeoutMs: spec.timeoutMs } : {}),
  });
  return {
    label: `${spec.model} @ ${spec.baseUrl}`,
    async describe() {
      const models = await backend.listModels().catch(() => null);
      return { backend: 'remote', baseUrl: spec.baseUrl, model: spec.model, serverModels: models, concurrency: spec.concurrency ?? 4 };
    },
    async generateMany(requests, opts) {
      await backend.generateBatch(requests, {
        parallel: opts.parallel,
        signal: opts.signal,
        onResult: (i, r) => opts.onResult(i, r.status === 'fulfilled' ? { ok: true, value: r.value } : { ok: false, error: r.reason }),
      });
    },
  };
}
