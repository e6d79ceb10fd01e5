/**
 * Shared types for the benchmark metric ports.
 *
 * `reference` reproduces the reference script bit for bit (bugs included);
 * `corrected` fixes the documented reference bugs (see docs/METRICS.md).
 */
export type MetricMode = 'reference' | 'corrected';

export interface MetricOptions {
  mode?: MetricMode;
}

export function modeOf(options?: MetricOptions): MetricMode {
  return options?.mode ?? 'reference';
}
