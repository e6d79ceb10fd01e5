/**
 * One output's automatic result on its own, for filters ("A right, B wrong") and for scores
 * adjusted by review. Run scores are corpus-level; here each item is scored alone with its
 * task's metrics and one primary metric is read, normalised to 0–1.
 */
import type { MetricMode } from '../../shared/runs';
import { scoreRunTask } from '../runs/scoring';

// Accuracy-like metrics first: on one item they are 0 or 1, which is what "right" means.
const PRIMARY = [
  'mcqAccuracy',
  'exactMatch',
  'labelMacroF1',
  'trueFalseAccuracy',
  'substringAccuracy',
  'entityF1',
  'multiLabelF1',
  'bioTagF1',
  'hocF1',
  'nerMicroF1',
  'rougeL',
  'pyRougeL',
  'wordF1',
  'bleu1',
];

export interface ItemScore {
  metrics: Record<string, number>;
  primary: string | null;
  /** The primary metric on 0–1 (percent-scaled metrics divided by 100); null without one. */
  value: number | null;
}

export function scoreOneItem(benchmark: string, task: string, output: string | null, gold: readonly string[], mode: MetricMode): ItemScore {
  let metrics: Record<string, number>;
  try {
    metrics = scoreRunTask(benchmark, task, [output ?? ''], [gold[0] ?? ''], mode);
  } catch {
    metrics = {};
  }
  const primary = PRIMARY.find((m) => m in metrics) ?? Object.keys(metrics)[0] ?? null;
  if (primary === null) return { metrics, primary, value: null };
  const raw = metrics[primary]!;
  return { metrics, primary, value: primary === 'bleu1' || primary === 'pyRougeL' || raw > 1 ? raw / 100 : raw };
}

/** "Right" for the compare filters: the primary metric at least half of its full score. */
export const isRight = (s: ItemScore): boolean => s.value !== null && s.value >= 0.5;
