import type { ModelFit, ModelRecord } from '../../../../shared/models';
import { formatBytes } from '../../lib/format';

/** Parameter count as people write it: 135M, 7.2B. */
export function formatParams(n: number): string {
  if (!Number.isFinite(n) || n <= 0) return '—';
  if (n >= 1e9) return `${(n / 1e9).toFixed(n >= 1e10 ? 0 : 1)}B`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(n >= 1e7 ? 0 : 1)}M`;
  return `${(n / 1e6).toFixed(2)}M`;
}

export function formatContext(n: number | null): string {
  if (n === null || n <= 0) return '—';
  return n >= 1024 && n % 1024 === 0 ? `${n / 1024}K` : String(n);
}

export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

/** "used / total" memory, or "—" when the runtime reports none (no GPU). */
export function formatMemory(m: { used: number; total: number }): string {
  if (m.total <= 0) return '—';
  return `${formatBytes(Math.max(0, m.used))} / ${formatBytes(m.total)}`;
}

export const FIT_LABEL: Record<ModelFit['verdict'], string> = {
  gpu: 'fits GPU',
  partial: 'partly GPU',
  cpu: 'CPU',
  too_large: 'too large',
};

export function quantization(m: ModelRecord): string {
  return m.header.quantization ?? m.header.dominantTensorType ?? (m.header.fileType !== null ? `type ${m.header.fileType}` : '—');
}

/** The file name of a path, for compact labels. */
export function baseName(file: string): string {
  return (
    file
      .split(/[\\/]/)
      .filter((p) => p !== '')
      .at(-1) ?? file
  );
}
