/**
 * Whether and how a model fits this machine, estimated from its header before loading it:
 * node-llama-cpp's GgufInsights resolves GPU layers and context size against the current
 * VRAM and RAM (llama.getVramState / getRamState).
 */
import { loadLlamaLib } from '../inference/llamaLib';
import type { GgufFileInfo, Llama } from 'node-llama-cpp';
import type { InferenceBackendName, ModelFit, ModelLoadSettings } from '../../shared/models';
import { formatBytes } from '../../shared/format';

const DEFAULT_FIT_CONTEXT = 4096;

/** Byte counts in fit messages read as the CLI and the app show them. */
export { formatBytes };

export async function estimateFit(llama: Llama, gguf: GgufFileInfo, settings: Partial<ModelLoadSettings> = {}): Promise<ModelFit> {
  const insights = await (await loadLlamaLib()).GgufInsights.from(gguf, llama);
  const train = insights.trainContextSize;
  const contextSize = Math.max(1, Math.min(settings.contextSize ?? DEFAULT_FIT_CONTEXT, train && train > 0 ? train : Number.MAX_SAFE_INTEGER));
  const gpuLayers = settings.gpuLayers;
  const resolved = await insights.configurationResolver.resolveAndScoreConfig({
    targetContextSize: contextSize,
    ...(gpuLayers !== undefined && gpuLayers !== 'auto' ? { targetGpuLayers: gpuLayers } : {}),
    ...(settings.flashAttention !== undefined ? { flashAttention: settings.flashAttention } : {}),
  });
  const [vram, ram] = await Promise.all([llama.getVramState(), llama.getRamState()]);
  const backend: InferenceBackendName = llama.gpu === false ? 'cpu' : llama.gpu;
  const v = resolved.resolvedValues;
  const totalLayers = insights.totalLayers;
  const vramNeeded = v.totalVramUsage;
  const ramNeeded = v.totalRamUsage;
  const tooLarge = resolved.compatibilityScore <= 0 || ramNeeded > ram.total || (backend !== 'cpu' && vram.total > 0 && vramNeeded > vram.total);
  const verdict: ModelFit['verdict'] = tooLarge ? 'too_large' : v.gpuLayers <= 0 ? 'cpu' : v.gpuLayers >= totalLayers ? 'gpu' : 'partial';
  const ctx = `at context ${v.contextSize}`;
  const summary =
    verdict === 'too_large'
      ? `does not fit: needs ${formatBytes(ramNeeded)} RAM${vramNeeded > 0 ? ` + ${formatBytes(vramNeeded)} VRAM` : ''} ${ctx} (${formatBytes(ram.total)} RAM${vram.total > 0 ? `, ${formatBytes(vram.total)} VRAM` : ''} here)`
      : verdict === 'cpu'
        ? `runs on CPU: ${formatBytes(ramNeeded)} RAM ${ctx} (${formatBytes(ram.free)} free)`
        : verdict === 'gpu'
          ? `fits on GPU: ${v.gpuLayers}/${totalLayers} layers, ${formatBytes(vramNeeded)} VRAM + ${formatBytes(ramNeeded)} RAM ${ctx} (${formatBytes(vram.free)} VRAM free)`
          : `partly on GPU: ${v.gpuLayers}/${totalLayers} layers, ${formatBytes(vramNeeded)} VRAM + ${formatBytes(ramNeeded)} RAM ${ctx} (${formatBytes(vram.free)} VRAM free)`;
  return {
    verdict,
    backend,
    gpuLayers: v.gpuLayers,
    totalLayers,
    contextSize: v.contextSize,
    ramBytes: ramNeeded,
    vramBytes: vramNeeded,
    ramTotalBytes: ram.total,
    ramFreeBytes: ram.free,
    vramTotalBytes: vram.total,
    vramFreeBytes: vram.free,
    score: resolved.compatibilityScore,
    summary,
    estimatedAt: new Date().toISOString(),
  };
}
