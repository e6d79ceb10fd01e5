export { ModelLibrary, normalizeSettings } from './modelLibrary';
export { runGenerate } from './generate';
export type { GenerateDeps } from './generate';
export { estimateFit, formatBytes } from './fit';
export { findGgufFiles, readModelFile, shapesCompatible } from './scan';
export { hubHost, offlineMessage, pullModelFile } from './download';
