/**
 * The call and event names as plain data, free of zod, so the preload and renderer bundles
 * can enumerate channels without carrying the schemas. contract.ts checks they match.
 */
export const CALL_NAMES = [
  'listBenchmarks',
  'listTasks',
  'pageItems',
  'getItem',
  'importPaths',
  'previewImport',
  'cancelImport',
  'importDemo',
  'search',
  'createRun',
  'listRuns',
  'getRun',
  'pageRunItems',
  'pauseRun',
  'resumeRun',
  'cancelRun',
  'rescoreRun',
  'exportRun',
  'importPredictions',
  'addModels',
  'listModels',
  'inspectModel',
  'removeModel',
  'renameModel',
  'rescanModels',
  'setAdapterBase',
  'pullModel',
  'saveModelConfig',
  'listModelConfigs',
  'removeModelConfig',
  'generate',
  'cancelGenerate',
  'loadModel',
  'cancelLoad',
  'unloadModel',
  'runtimeInfo',
] as const;

export const EVENT_NAMES = ['importProgress', 'runProgress', 'generateToken', 'modelLoadProgress'] as const;
