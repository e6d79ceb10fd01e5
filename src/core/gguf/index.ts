/** Reading GGUF model and adapter files: header inspection, validation, and the errors a bad file gives. */
export { ModelFileError, describeFile } from './errors';
export type { ModelFileProblem } from './errors';
export { inspectModelFile, resolveSplitParts } from './inspect';
export type { ModelFileInfo } from './inspect';
