import type { RemoteModelSpec } from '../../shared/runs';
import { ApiError } from '../../shared/errors';
import { RemoteBackend } from '../inference/remote/remoteBackend';
import type { Generator } from './runner';

/** A run on an OpenAI-compatible server (vLLM, TGI, llama.cpp server, Ollama). */
export function remoteGenerator(spec: RemoteModelSpec, env: NodeJS.ProcessEnv = process.env): Generator {
  let apiKey: string | undefined;
  if (spec.apiKeyEnv) {
    apiKey = env[spec.apiKeyEnv];
    if (!apiKey) throw new ApiError('invalid_input', `the API key variable ${spec.apiKeyEnv} is not set`, { field: 'model.apiKeyEnv' });
  }
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
