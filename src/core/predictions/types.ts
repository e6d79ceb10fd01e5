/** Predictions as read from (or written to) the benchmarks' results files. */
import type { Benchmark } from '../metrics/registry';

export type PredictionsFormat = 'meds-bench-csv' | 'medinst32-json';
export const PREDICTIONS_FORMATS: readonly PredictionsFormat[] = ['meds-bench-csv', 'medinst32-json'];

/** One scored pair. `line`: where it starts in its file (1-based), when read from one. */
export interface PredictionPair {
  prediction: string;
  target: string;
  input?: string;
  line?: number;
  /** MedS-Bench CSV: the cell is one pandas `read_csv` reads as NaN (empty, `NA`, `None`, …; see pandasNa.ts). */
  predictionNa?: boolean;
  targetNa?: boolean;
}

/** The predictions of one task, in file order. */
export interface TaskPredictions {
  task: string;
  /** MedINST32 category (QA, NER, …) when the file has one. */
  category?: string;
  pairs: PredictionPair[];
  /** Metric values stored in the file (MedINST32 `metrics`), keyed as the file keys them. */
  reportedMetrics?: Record<string, number>;
}

export interface PredictionSet {
  format: PredictionsFormat;
  benchmark: Benchmark;
  tasks: TaskPredictions[];
}
