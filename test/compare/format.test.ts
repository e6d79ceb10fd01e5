/**
 * Compare cells carry their metric: the heading and each cell's tooltip and hidden label name the
 * task's primary metric and its unit, from the metrics the engine gives each task.
 */
import { describe, expect, it } from 'vitest';
import { taskMetrics } from '../../src/core/metrics/taskMetrics';
import { formatMetric, metricHeading, metricShortName, metricUnit } from '../../src/renderer/src/features/compare/compareFormat';

const primary = (benchmark: string, task: string) => {
  const tm = taskMetrics(benchmark, task);
  return tm.metrics[tm.primary]!;
};

describe('compare metric labels', () => {
  it('MedINST32 values are fractions, MedS-Bench values percentages, each with its short name', () => {
    const label = primary('medinst32', 'PubMedQA-labeled');
    expect(metricHeading(label)).toBe('Label macro-F1 (0–1)');
    expect(`${metricShortName(label)} ${formatMetric(0.412, label.scale)}`).toBe('Label macro-F1 0.412');
    const mcqa = primary('meds-bench', 'task123_pubmedqa_test_set');
    expect(metricHeading(mcqa)).toBe('MCQA accuracy (%)');
    expect(formatMetric(66.7, mcqa.scale)).toBe('66.7%');
  });

  it('drops the implementation note from a name and says when lower is better', () => {
    expect(metricShortName({ displayName: 'ROUGE-L F (rouge_score, stemmed)' })).toBe('ROUGE-L F');
    expect(metricUnit({ scale: 1, higherIsBetter: false })).toBe('lower is better');
  });
});
