export { ModelFileError, describeFile } from './errors';
export type { ModelFileProblem } from './errors';
export { inspectModelFile, resolveSplitParts } from './inspect';
export type { ModelFileInfo } from './inspect';
export { GgufWriter, GgufType, GGUF_DEFAULT_ALIGNMENT } from './gguf/writer';
export type { GgufMetadataValue, GgufScalarTypeName, GgufTensor } from './gguf/writer';
export { buildTinyLora, buildTinyModel, buildTinyVocab, resolveTinyModelOptions, TINY_CHAT_TEMPLATE, writeTinyLora, writeTinyModel } from './tinyModel';
export type { TinyLoraOptions, TinyLoraTarget, TinyModelOptions } from './tinyModel';
