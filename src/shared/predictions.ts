/**
 * Owns the `scorePredictions` call's shapes: scoring a predictions file (a MedS-Bench results
 * CSV or a MedINST32 results JSON) with the metric ports, as `medtask score` and the app do.
 * The report is plain data; core's ScoreReport is checked against it where the call is served.
 */
import { z } from 'zod';
import { metricModeSchema, type MetricMode } from './enums';

export const PREDICTIONS_FORMAT_NAMES = ['meds-bench-csv', 'medinst32-json'] as const;
export const predictionsFormatSchema = z.enum(PREDICTIONS_FORMAT_NAMES);

export const scorePredictionsInput = z
  .object({
    file: z.string().min(1),
    /** Default: by extension, then by content. */
    format: predictionsFormatSchema.optional(),
    mode: metricModeSchema.default('reference'),
    /** MedS-Bench: score every row as this task (e.g. `DDXPlus`, whose script ignores task_id). */
    task: z.string().min(1).max(200).optional(),
  })
  .strict();

export interface PredictionsTaskScore {
  task: string;
  category?: string;
  /** Prediction/gold pairs given to the metrics. */
  count: number;
  metrics: Partial<Record<string, number>>;
  /** Values stored in the file itself (MedINST32 `metrics`), for comparison. */
  reportedMetrics?: Record<string, number>;
  /** For pooled groups: the tasks pooled. */
  pooled?: string[];
  note?: string;
}

export interface PredictionsScore {
  /** The file scored, as an absolute path. */
  file: string;
  format: (typeof PREDICTIONS_FORMAT_NAMES)[number];
  benchmark: 'medinst32' | 'meds-bench';
  mode: MetricMode;
  tasks: PredictionsTaskScore[];
  /** MedS-Bench CT / MRI summarisation groups, pooled over their tasks. */
  groups: PredictionsTaskScore[];
  /** Tasks that were not scored, with the reason. */
  skipped: { task: string; count: number; reason: string }[];
  /** Display name, direction, reference key and scale of every metric that appears. */
  metricInfo: Partial<Record<string, { benchmark: string; displayName: string; higherIsBetter: boolean; referenceKey: string; scale: 1 | 100 }>>;
  /** Where the values are not the reference's to the last digit, and why. */
  notes: string[];
}
