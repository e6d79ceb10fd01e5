/** How compare numbers read: each benchmark's own scale (MedINST32 fractions, MedS-Bench percentages) with its unit. */
import type { CompareMetricInfo } from '../../../../shared/compare';

export function formatMetric(v: number | null | undefined, scale: 1 | 100): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  return scale === 100 ? `${v.toFixed(1)}%` : v.toFixed(3);
}

export function formatDelta(v: number | null | undefined, scale: 1 | 100): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '';
  if (v === 0) return '±0';
  return `${v > 0 ? '+' : '−'}${formatMetric(Math.abs(v), scale)}`;
}

export function formatInterval(m: { estimate: number; low: number; high: number }, info: Pick<CompareMetricInfo, 'scale'>): string {
  return `${formatMetric(m.estimate, info.scale)} [${formatMetric(m.low, info.scale)}, ${formatMetric(m.high, info.scale)}]`;
}

/** Run letters for headers and keys: 1–8 as typed on the keyboard. */
export function runLabel(index: number): string {
  return String(index + 1);
}
