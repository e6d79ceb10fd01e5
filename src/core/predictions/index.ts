/** Prediction files (MedS-Bench results CSV, MedINST32 results JSON), scoring and per-item reports. */
export * from './types';
export * from './errors';
export * from './csv';
export * from './json';
export * from './medsBenchCsv';
export * from './medinst32Json';
export * from './score';
export * from './report';
export * from './files';
export * from './pandasNa';
