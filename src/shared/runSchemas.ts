/** Input schemas of the run calls (kept beside contract.ts so that file stays a table of contents). */
import { z } from 'zod';
import { TRUNCATION_POLICIES } from './models';
import { metricModeSchema, promptStrategySchema, splitSchema, taskConfigSchema } from './enums';

const id = z.number().int().positive();

/** A built-in template's name or Jinja text (the engine checks that the name exists and the Jinja renders). */
export const chatTemplateSchema = z.string().trim().min(1, 'a chat template override must not be empty').max(200_000);
/** What the local engine does with a prompt over its budget, and the budget (shared with generate). */
export const truncateSchema = z.enum(TRUNCATION_POLICIES);
export const maxPromptTokensSchema = z.number().int().min(1).max(4_194_304);

/**
 * How a local model is loaded, one schema per setting, shared by the Playground's calls
 * (generate, inspectModel, saveModelConfig) and a run's local model: a configuration saved in
 * the Playground is valid in a run, with the same bounds.
 */
export const loadSettingFields = {
  gpuLayers: z.union([z.literal('auto'), z.literal('max'), z.number().int().min(0).max(100_000)]),
  contextSize: z.number().int().min(16).max(4_194_304),
  batchSize: z.number().int().min(1).max(1_048_576),
  /** Unset: node-llama-cpp's default (auto). */
  flashAttention: z.boolean(),
  threads: z.number().int().min(1).max(1024),
  chatTemplate: chatTemplateSchema,
};

/** A saved configuration's settings (and the Playground's): GPU layers default to auto. */
export const modelLoadSettingsSchema = z
  .object({
    gpuLayers: loadSettingFields.gpuLayers.default('auto'),
    contextSize: loadSettingFields.contextSize.optional(),
    batchSize: loadSettingFields.batchSize.optional(),
    flashAttention: loadSettingFields.flashAttention.optional(),
    threads: loadSettingFields.threads.optional(),
    chatTemplate: loadSettingFields.chatTemplate.optional(),
  })
  .strict();

const localModel = z
  .object({
    kind: z.literal('local'),
    path: z.string().min(1),
    /** The saved model configuration the run was started from (its name at that time), if any. */
    configName: z.string().trim().min(1).max(200).optional(),
    loras: z
      .array(z.object({ path: z.string().min(1), scale: z.number().min(-10).max(10).optional() }).strict())
      .max(8)
      .optional(),
    gpuLayers: loadSettingFields.gpuLayers.optional(),
    contextSize: loadSettingFields.contextSize.optional(),
    threads: loadSettingFields.threads.optional(),
    batchSize: loadSettingFields.batchSize.optional(),
    flashAttention: loadSettingFields.flashAttention.optional(),
    /** Chat template override (a built-in name or Jinja text), as in ModelLoadSettings. */
    chatTemplate: loadSettingFields.chatTemplate.optional(),
    truncate: truncateSchema.optional(),
    maxPromptTokens: maxPromptTokensSchema.optional(),
  })
  .strict();

const remoteModel = z
  .object({
    kind: z.literal('remote'),
    baseUrl: z.string().url(),
    model: z.string().min(1),
    apiKeyEnv: z
      .string()
      .regex(/^[A-Z_][A-Z0-9_]*$/)
      .optional(),
    concurrency: z.number().int().min(1).max(256).optional(),
    timeoutMs: z.number().int().min(100).max(3_600_000).optional(),
  })
  .strict();

export const runSpecSchema = z
  .object({
    name: z.string().min(1).max(200).optional(),
    model: z.discriminatedUnion('kind', [localModel, remoteModel]),
    template: z
      .object({
        strategy: promptStrategySchema,
        k: z.number().int().min(0).max(64).nullable().optional(),
        seed: z
          .number()
          .int()
          .min(0)
          .max(2 ** 32 - 1)
          .optional(),
        variant: z.number().int().min(0).max(1000).optional(),
        mode: metricModeSchema.optional(),
        pool: z.enum(['split', 'positive']).optional(),
        system: z.string().max(50_000).optional(),
        user: z.string().max(50_000).optional(),
        example: z.string().max(50_000).optional(),
        exampleSeparator: z.string().max(1000).optional(),
        text: z.string().max(50_000).optional(),
      })
      .strict(),
    decoding: z
      .object({
        maxTokens: z.number().int().min(1).max(32_768),
        temperature: z.number().min(0).max(5),
        topP: z.number().gt(0).max(1).optional(),
        topK: z.number().int().min(0).max(10_000).optional(),
        seed: z
          .number()
          .int()
          .min(0)
          .max(2 ** 32 - 1)
          .optional(),
        stop: z.array(z.string().min(1).max(200)).max(16).optional(),
      })
      .strict(),
    selection: z
      .object({
        taskIds: z.array(id).min(1).max(1000),
        config: taskConfigSchema.optional(),
        split: splitSchema.optional(),
        limit: z.number().int().min(1).optional(),
        sample: z
          .object({ n: z.number().int().min(1), seed: z.number().int().min(0) })
          .strict()
          .optional(),
      })
      .strict(),
    parallel: z.number().int().min(1).max(64).optional(),
    metricMode: metricModeSchema.optional(),
  })
  .strict();

export const runCallInputs = {
  /** Renders a template against one item of a task, exactly as a run would, without running. */
  previewPrompt: z
    .object({
      template: runSpecSchema.shape.template,
      taskId: id,
      config: taskConfigSchema.optional(),
      split: splitSchema.optional(),
      index: z.number().int().min(0).optional(),
    })
    .strict(),
  createRun: runSpecSchema,
  /** Renders the prompts a run would send and counts their tokens against the model's context, without running. */
  preflightRun: runSpecSchema,
  listRuns: z.object({}).strict(),
  getRun: z.object({ runId: id }).strict(),
  pageRunItems: z
    .object({
      runId: id,
      after: z.number().int().min(-1).optional(),
      limit: z.number().int().min(1).max(1000).default(100),
      /** Right/wrong by the item's primary metric (at its maximum or below), failed items, or prompts cut to fit. */
      show: z.enum(['all', 'right', 'wrong', 'errors', 'truncated']).optional(),
      /** Every word must occur in the input, a gold output, the raw output or the extracted answer. */
      search: z.string().trim().max(500).optional(),
      /** Only items whose first gold output is exactly this label (a label task's class). */
      gold: z.string().max(10_000).optional(),
      /** Only items whose value of this metric lies in [min, max], in the benchmark's scale (1 or 100). */
      metric: z
        .object({ id: z.string().min(1).max(100), min: z.number().finite().optional(), max: z.number().finite().optional() })
        .strict()
        .optional(),
      /** Order by one metric (items without a value last); `after` stays the last ord shown. */
      sort: z
        .object({ metric: z.string().min(1).max(100), dir: z.enum(['asc', 'desc']).default('desc') })
        .strict()
        .optional(),
    })
    .strict(),
  pauseRun: z.object({ runId: id }).strict(),
  resumeRun: z.object({ runId: id }).strict(),
  cancelRun: z.object({ runId: id }).strict(),
  rescoreRun: z.object({ runId: id, mode: metricModeSchema }).strict(),
  exportRun: z
    .object({
      runId: id,
      format: z.enum(['meds-bench-csv', 'medinst32-json', 'items-json', 'items-csv']),
      /** In browser mode a relative name lands in `<data dir>/exports`; other folders need `--allow-dir`. */
      out: z.string().min(1).max(4096),
      /** Replace an existing file; without it an existing file is an error. */
      overwrite: z.boolean().optional(),
    })
    .strict(),
  importPredictions: z
    .object({
      file: z.string().min(1),
      format: z.enum(['meds-bench-csv', 'medinst32-json']).optional(),
      mode: metricModeSchema.optional(),
      name: z.string().min(1).max(200).optional(),
    })
    .strict(),
} as const;
