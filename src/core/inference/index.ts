export { InferenceEngine, PromptTooLongError } from './engine';
export type { InferenceEngineApi } from './engineApi';
export { EngineCrashedError, EngineProcess, isEngineCrash } from './child/engineProcess';
export type { EngineProcessOptions } from './child/engineProcess';
export { forkEntry, forkTransport, resolveEngineEntry } from './child/transport';
export type { EngineTransport, EngineTransportFactory } from './child/transport';
export * from './types';
export * from './remote';
