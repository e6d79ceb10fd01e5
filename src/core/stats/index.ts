/** Pure statistics for comparing runs: bootstrap intervals, paired tests, McNemar. */
export * from './percentile';
export * from './bootstrap';
export * from './permutation';
export * from './mcnemar';
