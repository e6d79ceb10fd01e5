/**
 * The one contract between UI and engine: every call with its input schema and result
 * type, and every pushed event. Hosts (Electron IPC, the web host) serve exactly these
 * names and validate input with these schemas; the renderer sees only `MedtaskClient`.
 */
import { z } from 'zod';
import { CALL_NAMES } from './names';
import { annotationCallInputs, type AnnotationCallResults } from './annotations';
import { maxPromptTokensSchema, modelLoadSettingsSchema, runCallInputs, truncateSchema } from './runSchemas';
import { splitSchema, taskConfigSchema } from './enums';
import { scorePredictionsInput, type PredictionsScore } from './predictions';
import { compareCallInputs, type CompareCallResults } from './compare';
import { itemRunsCallInputs, type ItemRunsCallResults } from './itemRuns';
import type { PromptPreview, RunDetail, RunItemPage, RunPreflight, RunProgress, RunSummary } from './runs';
import type { EngineBuildState, EngineInfo, LoadedModelInfo, ModelLoadProgress, RuntimeInfo } from './models';
import type { DirectoryListing } from './files';
export { CALL_NAMES, EVENT_NAMES } from './names';
import type {
  GenerateOutput,
  GenerateTokenEvent,
  ModelAddResult,
  ModelConfig,
  ModelInspection,
  ModelList,
  ModelRecord,
  ModelRemoveResult,
  ModelRescanResult,
  PullProgress,
  PullResult,
} from './models';
import type {
  Benchmark,
  ImportPreview,
  ImportProgress,
  ImportResult,
  Item,
  ItemPage,
  SearchFacetsResult,
  SearchResult,
  TaskDetail,
  TaskSummary,
} from './domain';

const id = z.number().int().positive();

const modelLoadSettings = modelLoadSettingsSchema;
const column = z.string().min(1).max(200);
const columnMapping = z.object({ instruction: column.optional(), input: column, output: column, history: column.optional(), id: column.optional() }).strict();
const importTarget = z
  .object({
    benchmark: z
      .string()
      .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'lower-case letters, digits, ".", "_" or "-"')
      .optional(),
    benchmarkTitle: z.string().min(1).max(200).optional(),
    task: z.string().min(1).max(200).optional(),
    category: z.string().min(1).max(100).optional(),
    split: splitSchema.optional(),
    config: taskConfigSchema.optional(),
    instruction: z.string().max(20_000).optional(),
  })
  .strict();

export const callInputs = {
  listBenchmarks: z.object({}).strict(),
  listTasks: z.object({ benchmarkId: id.optional() }).strict(),
  pageItems: z
    .object({
      taskId: id,
      config: taskConfigSchema.optional(),
      split: splitSchema.optional(),
      /** Keyset cursor: the `nextCursor` of the previous page. */
      after: z.number().int().nonnegative().optional(),
      limit: z.number().int().min(1).max(1000).default(100),
    })
    .strict(),
  getItem: z.object({ itemId: id }).strict(),
  /** A task's facts: definition, languages, instruction variants, examples, default metrics, provenance. */
  getTask: z
    .object({
      taskId: id,
      /** How many instruction variants to return (MedS-Ins has ~150 per task); the total is always given. */
      variantLimit: z.number().int().min(0).max(1000).default(50),
    })
    .strict(),
  importPaths: z
    .object({
      paths: z.array(z.string().min(1)).min(1),
      /** Chosen by the caller so it can cancel the import while it runs. */
      importId: z.string().min(1).max(100).optional(),
      /** For files in no published layout: which columns hold what, and where they go. */
      mapping: columnMapping.optional(),
      target: importTarget.optional(),
      /** Inside folders, pass over files in no known layout (listed as skipped) instead of stopping. */
      skipUnknown: z.boolean().optional(),
    })
    .strict(),
  /** What an import would write (layouts, tasks, splits, row counts), without writing. */
  previewImport: z
    .object({
      paths: z.array(z.string().min(1)).min(1),
      mapping: columnMapping.optional(),
      target: importTarget.optional(),
      skipUnknown: z.boolean().optional(),
    })
    .strict(),
  cancelImport: z.object({ importId: z.string().min(1).max(100) }).strict(),
  /** Imports the small synthetic demo pack shipped with the app. */
  importDemo: z.object({ importId: z.string().min(1).max(100).optional() }).strict(),
  search: z
    .object({
      query: z.string().trim().min(1).max(500),
      benchmark: z.string().max(100).optional(),
      category: z.string().max(100).optional(),
      taskId: id.optional(),
      split: splitSchema.optional(),
      config: taskConfigSchema.optional(),
      language: z.string().max(50).optional(),
      limit: z.number().int().min(1).max(200).default(50),
      offset: z.number().int().min(0).max(10_000).default(0),
    })
    .strict(),
  /** The exact total and facet counts of a search whose answer had `exact: false` (same query and filters). */
  searchFacets: z
    .object({
      query: z.string().trim().min(1).max(500),
      benchmark: z.string().max(100).optional(),
      category: z.string().max(100).optional(),
      taskId: id.optional(),
      split: splitSchema.optional(),
      config: taskConfigSchema.optional(),
      language: z.string().max(50).optional(),
    })
    .strict(),
  ...runCallInputs,
  /** Scores a predictions file with the metric ports (what `medtask score` prints); stores nothing. */
  scorePredictions: scorePredictionsInput,
  ...annotationCallInputs,
  ...compareCallInputs,
  ...itemRunsCallInputs,
  // Model library (see models.ts). Files stay where they are; the library points at them.
  /** Adds `.gguf` files, or folders scanned recursively (and re-scanned by `rescanModels`). */
  addModels: z.object({ paths: z.array(z.string().min(1)).min(1) }).strict(),
  /** Lists models and adapters, re-checking each file's size and modification time. */
  listModels: z.object({}).strict(),
  /** Reads a file's header and estimates its fit without adding or loading it (give `path` or `id`). */
  inspectModel: z.object({ path: z.string().min(1).optional(), id: id.optional(), settings: modelLoadSettings.partial().optional() }).strict(),
  removeModel: z.object({ id }).strict(),
  renameModel: z.object({ id, name: z.string().trim().min(1).max(200) }).strict(),
  /** Re-checks every file and walks the added folders for new ones; `refresh` re-reads changed files. */
  rescanModels: z.object({ refresh: z.boolean().default(false) }).strict(),
  /** Records the user's choice of base model for an adapter; null goes back to automatic matching. */
  setAdapterBase: z.object({ adapterId: id, baseModelId: id.nullable() }).strict(),
  /** Downloads from the Hugging Face Hub (`hf:user/repo:quant` or an https URL) into the data directory. */
  /** Download a model (pullProgress events by pullId); a cancelled download resumes on the next pull. */
  pullModel: z
    .object({
      uri: z.string().trim().min(1).max(2000),
      timeoutMs: z.number().int().min(100).max(600_000).default(10_000),
      pullId: z.string().min(1).max(100).optional(),
      /** Allow a cleartext http:// URI to another machine (refused by default; loopback is allowed). */
      allowInsecure: z.boolean().optional(),
    })
    .strict(),
  cancelPull: z.object({ pullId: z.string().min(1).max(100) }).strict(),
  saveModelConfig: z
    .object({
      id: id.optional(),
      name: z.string().trim().min(1).max(200),
      modelId: id,
      adapters: z
        .array(z.object({ adapterId: id, scale: z.number().min(-100).max(100).default(1) }).strict())
        .max(16)
        .default([]),
      settings: modelLoadSettings.partial().default({}),
    })
    .strict(),
  listModelConfigs: z.object({}).strict(),
  removeModelConfig: z.object({ id }).strict(),
  /**
   * Runs a model (library id, configuration, or a `.gguf` path) on a prompt or chat messages.
   * Tokens stream as `generateToken` events tagged with `requestId`.
   */
  generate: z
    .object({
      model: z.union([id, z.string().min(1)]).optional(),
      configId: id.optional(),
      adapters: z
        .array(z.object({ adapterId: id.optional(), path: z.string().min(1).optional(), scale: z.number().min(-100).max(100).default(1) }).strict())
        .max(16)
        .optional(),
      settings: modelLoadSettings.partial().optional(),
      prompt: z.string().optional(),
      messages: z
        .array(z.object({ role: z.enum(['system', 'user', 'assistant']), content: z.string() }).strict())
        .min(1)
        .optional(),
      maxTokens: z.number().int().min(1).max(131_072).default(256),
      temperature: z.number().min(0).max(10).default(0),
      topK: z.number().int().min(0).optional(),
      topP: z.number().min(0).max(1).optional(),
      minP: z.number().min(0).max(1).optional(),
      seed: z.number().int().min(0).optional(),
      stop: z.array(z.string().min(1)).max(16).optional(),
      repeatPenalty: z.number().min(0).max(10).optional(),
      /** A prompt over its budget: refuse it (default) or cut it by this policy, recorded in the output. */
      truncate: truncateSchema.optional(),
      maxPromptTokens: maxPromptTokensSchema.optional(),
      requestId: z.string().min(1).max(100).optional(),
    })
    .strict(),
  cancelGenerate: z.object({ requestId: z.string().min(1).max(100) }).strict(),
  /** Load a model now (the UI's load button), with modelLoadProgress events; cancellable by loadId. */
  loadModel: z
    .object({
      path: z.string().min(1),
      gpuLayers: z.union([z.literal('auto'), z.literal('max'), z.number().int().min(0)]).optional(),
      threads: z.number().int().min(1).max(256).optional(),
      /** false: read the weights into RAM; true: memory-map the file; unset: the engine chooses (in RAM for CPU work when it fits). */
      mmap: z.boolean().optional(),
      loadId: z.string().min(1).max(100),
    })
    .strict(),
  cancelLoad: z.object({ loadId: z.string().min(1).max(100) }).strict(),
  unloadModel: z.object({ path: z.string().min(1) }).strict(),
  runtimeInfo: z.object({}).strict(),
  /** Which llama.cpp binary the engine runs, what it and the CPU support, whether a build for this CPU is worth it. */
  engineInfo: z.object({}).strict(),
  /** Starts the one-time build for this CPU (local tools only; takes nothing from the caller); engineBuildProgress events follow. */
  buildEngine: z.object({}).strict(),
  cancelEngineBuild: z.object({}).strict(),
  /** One folder on the engine's machine, for the path pickers (import, add model, predictions file). */
  listDirectory: z
    .object({
      /** A folder (a file lists its folder; `~` is the home folder). Default: the home folder. */
      path: z.string().max(4096).optional(),
      /** Keep only files with these extensions, e.g. ["gguf"]; folders are always listed. */
      extensions: z
        .array(z.string().regex(/^\.?[A-Za-z0-9]{1,16}$/, 'an extension such as "gguf" or ".jsonl"'))
        .max(32)
        .optional(),
      showHidden: z.boolean().default(false),
      /** Entries returned (each costs a stat); the listing says when there were more. */
      limit: z.number().int().min(1).max(100_000).default(2000),
    })
    .strict(),
} as const;

export interface CallResults extends AnnotationCallResults, CompareCallResults, ItemRunsCallResults {
  listBenchmarks: Benchmark[];
  listTasks: TaskSummary[];
  pageItems: ItemPage;
  getItem: Item;
  getTask: TaskDetail;
  importPaths: ImportResult;
  previewImport: ImportPreview;
  /** True when an import with that id was running and is now being rolled back. */
  cancelImport: boolean;
  importDemo: ImportResult;
  search: SearchResult;
  searchFacets: SearchFacetsResult;
  previewPrompt: PromptPreview;
  createRun: RunDetail;
  preflightRun: RunPreflight;
  listRuns: RunSummary[];
  getRun: RunDetail;
  pageRunItems: RunItemPage;
  pauseRun: RunDetail;
  resumeRun: RunDetail;
  cancelRun: RunDetail;
  rescoreRun: RunDetail;
  exportRun: { file: string; bytes: number; items: number };
  importPredictions: RunDetail;
  scorePredictions: PredictionsScore;
  loadModel: LoadedModelInfo;
  cancelLoad: boolean;
  unloadModel: boolean;
  runtimeInfo: RuntimeInfo;
  engineInfo: EngineInfo;
  /** The build's state as it starts (it runs on; the outcome comes as an engineBuildProgress event). */
  buildEngine: EngineBuildState;
  /** True when a build was running and is now stopping. */
  cancelEngineBuild: boolean;
  addModels: ModelAddResult;
  listModels: ModelList;
  inspectModel: ModelInspection;
  removeModel: ModelRemoveResult;
  renameModel: ModelRecord;
  rescanModels: ModelRescanResult;
  setAdapterBase: ModelRecord;
  pullModel: PullResult;
  /** True when a download with that id was running and is now stopping (its partial file is kept). */
  cancelPull: boolean;
  saveModelConfig: ModelConfig;
  listModelConfigs: ModelConfig[];
  /** True when a configuration with that id existed. */
  removeModelConfig: boolean;
  generate: GenerateOutput;
  /** True when a generation with that id was running and is now stopping. */
  cancelGenerate: boolean;
  listDirectory: DirectoryListing;
}

export interface EventPayloads {
  importProgress: ImportProgress;
  runProgress: RunProgress;
  modelLoadProgress: ModelLoadProgress;
  generateToken: GenerateTokenEvent;
  pullProgress: PullProgress;
  engineBuildProgress: EngineBuildState;
}

export type CallName = keyof typeof callInputs;
export type EventName = keyof EventPayloads;
/** What a caller may pass (defaults optional). */
export type CallInput<N extends CallName> = z.input<(typeof callInputs)[N]>;
/** What a handler receives after validation (defaults filled). */
export type CallArgs<N extends CallName> = z.output<(typeof callInputs)[N]>;

// Checked both ways against the schemas, so a call cannot be added to one list only.
type SameKeys<A, B> = [Exclude<A, B>, Exclude<B, A>] extends [never, never] ? true : never;
const _namesMatch: SameKeys<(typeof CALL_NAMES)[number], CallName> = true;
void _namesMatch;

/** The client the renderer programs against; both transports implement it. */
export type MedtaskClient = {
  [N in CallName]: (input: CallInput<N>) => Promise<CallResults[N]>;
} & {
  on<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): () => void;
};

/** The engine side: one handler per call, given validated arguments. */
export type CallHandlers = {
  [N in CallName]: (args: CallArgs<N>) => Promise<CallResults[N]> | CallResults[N];
};

export type EventSink = <E extends EventName>(event: E, payload: EventPayloads[E]) => void;
