export * from './types';
export { planImport, isDefinitionsPlan, KNOWN_LAYOUTS, BENCHMARKS } from './plan';
export type { SourcePlan, DefinitionsPlan, ImportPlan, PlanOptions, DefinitionVariants } from './plan';
