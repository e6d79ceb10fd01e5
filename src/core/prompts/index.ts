/** Prompt strategies (pure) and template hashing. */
export * from './types';
export * from './prng';
export * from './sampling';
export * from './records';
export * from './instructions';
export * from './medinst32';
export * from './medsBench';
export * from './generic';
export * from './template';
export * from './render';
export * from './hash';
