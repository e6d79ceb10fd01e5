export { InferenceEngine, PromptTooLongError } from './engine';
export * from './types';
