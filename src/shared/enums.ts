/**
 * Owns every closed set of names the contract uses, each named once: as a tuple (for lists
 * and CLI choices), a zod enum (for input schemas) and a type. Splits, task configs, prompt
 * strategies, reference/corrected modes, run statuses and kinds; plus the preference orders
 * the engine and the views use to pick one split or config, so both pick the same.
 */
import { z } from 'zod';

export const SPLIT_NAMES = ['train', 'dev', 'test'] as const;
export const splitSchema = z.enum(SPLIT_NAMES);
export type SplitName = (typeof SPLIT_NAMES)[number];

/** MedINST32 ships each test task twice: with two-shot `history` and without. */
export const TASK_CONFIGS = ['few-shot', 'zero-shot', 'default'] as const;
export const taskConfigSchema = z.enum(TASK_CONFIGS);
export type TaskConfig = (typeof TASK_CONFIGS)[number];

/** Which split a run (or a view) takes when none is named: the test split first. */
export const SPLIT_PREFERENCE: readonly SplitName[] = ['test', 'dev', 'train'];
/** Which config, when none is named: the benchmark's own few-shot prompts first. */
export const CONFIG_PREFERENCE: readonly TaskConfig[] = ['few-shot', 'zero-shot', 'default'];

/** `a` before `b` by the preference orders above (split first, then config). */
export function compareSplitPreference(a: { split: SplitName; config: TaskConfig }, b: { split: SplitName; config: TaskConfig }): number {
  return SPLIT_PREFERENCE.indexOf(a.split) - SPLIT_PREFERENCE.indexOf(b.split) || CONFIG_PREFERENCE.indexOf(a.config) - CONFIG_PREFERENCE.indexOf(b.config);
}

export const PROMPT_STRATEGIES = ['medinst32', 'meds-bench', 'generic', 'zero-shot', 'raw'] as const;
export const promptStrategySchema = z.enum(PROMPT_STRATEGIES);
export type PromptStrategy = (typeof PROMPT_STRATEGIES)[number];

/** Reproduce the reference code's behaviour (quirks included) or the corrected one: for prompts and for scoring. */
export const METRIC_MODES = ['reference', 'corrected'] as const;
export const metricModeSchema = z.enum(METRIC_MODES);
export type MetricMode = (typeof METRIC_MODES)[number];

export const RUN_STATUSES = ['queued', 'running', 'paused', 'cancelled', 'done', 'failed'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export const RUN_KINDS = ['local', 'remote', 'imported'] as const;
export type RunKind = (typeof RUN_KINDS)[number];

/** A reviewer's manual verdict on an output (error-analysis sessions). */
export const VERDICTS = ['correct', 'partly', 'incorrect'] as const;
export type Verdict = (typeof VERDICTS)[number];
/** Clinical-harm severity, ordinal: none < mild < moderate < severe. */
export const SEVERITIES = ['none', 'mild', 'moderate', 'severe'] as const;
export type Severity = (typeof SEVERITIES)[number];
