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

/** A metric's name without its implementation note: "ROUGE-L F (rouge_score, stemmed)" reads "ROUGE-L F". */
export function metricShortName(m: Pick<CompareMetricInfo, 'displayName'>): string {
  return m.displayName.replace(/\s*\([^)]*\)\s*$/, '');
}

/** The scale a value is read on: MedS-Bench's percentages, MedINST32's fractions, or an error where lower is better. */
export function metricUnit(m: Pick<CompareMetricInfo, 'scale' | 'higherIsBetter'>): string {
  if (m.scale === 100) return '%';
  return m.higherIsBetter ? '0–1' : 'lower is better';
}

/** Column heading of a run's values: "Label macro-F1 (0–1)", "MCQA accuracy (%)". */
export function metricHeading(m: Pick<CompareMetricInfo, 'displayName' | 'scale' | 'higherIsBetter'>): string {
  return `${metricShortName(m)} (${metricUnit(m)})`;
}
