export { InferenceEngine, PromptTooLongError } from './engine';
export * from './types';
export * from './remote';
