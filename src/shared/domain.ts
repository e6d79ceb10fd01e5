/**
 * Plain data types that cross the boundary between the engine and any UI.
 * Everything here must survive structured clone and JSON: no classes, no Dates.
 */

import type { SplitName, TaskConfig } from './enums';

// The names are defined once in enums.ts; re-exported where the domain types always were.
export { TASK_CONFIGS, type SplitName, type TaskConfig } from './enums';

export interface Benchmark {
  id: number;
  /** Stable key, e.g. `medinst32`. */
  name: string;
  title: string;
  taskCount: number;
  itemCount: number;
}

export interface SplitSummary {
  id: number;
  config: TaskConfig;
  split: SplitName;
  itemCount: number;
}

export interface TaskSummary {
  id: number;
  benchmarkId: number;
  benchmark: string;
  name: string;
  category: string | null;
  itemCount: number;
  splits: SplitSummary[];
}

/** One [user, assistant] demonstration pair, exactly as the benchmark stores it. */
export type HistoryTurn = [user: string, assistant: string];

export interface ItemSummary {
  id: number;
  /** Position of the record in its source file (0-based), stable across re-imports. */
  index: number;
  config: TaskConfig;
  split: SplitName;
  preview: string;
  output: string;
}

export interface Item {
  id: number;
  index: number;
  taskId: number;
  task: string;
  benchmark: string;
  config: TaskConfig;
  split: SplitName;
  instruction: string;
  input: string;
  /** The gold output; for multi-answer items the first of `outputs`. */
  output: string;
  outputs: string[];
  history: HistoryTurn[];
}

export interface ItemPage {
  items: ItemSummary[];
  /** Pass as `after` to get the next page; null on the last page. */
  nextCursor: number | null;
  total: number;
}

export interface ImportedSplit {
  file: string;
  benchmark: string;
  task: string;
  config: TaskConfig;
  split: SplitName;
  itemCount: number;
  /** False when the file was already imported byte-for-byte and nothing changed. */
  changed: boolean;
}

/** A MedS-Ins definitions file: instruction paraphrases per task id. */
export interface ImportedDefinitions {
  file: string;
  taskCount: number;
  variantCount: number;
  changed: boolean;
}

export interface ImportResult {
  importId: string;
  splits: ImportedSplit[];
  definitions: ImportedDefinitions[];
  /** Files not imported because another file of the same import holds the same split. */
  skipped: { file: string; reason: string }[];
}

export interface ImportPreviewEntry {
  file: string;
  /** Every file of a sharded split, in read order. */
  files: string[];
  layout: string;
  benchmark: string;
  task: string;
  config: TaskConfig | null;
  split: SplitName | null;
  /** Records in the file(s); for a definitions file, the task ids it covers. */
  rowCount: number;
  bytes: number;
  /** Set when this file would be left out: its split comes from another file, or (with skipUnknown) it is in no known layout. */
  skippedBecause?: string;
  /** The first records as they would be stored (texts cut to 300 characters), to check a mapping by eye. */
  sample: ImportSampleRecord[];
}

export interface ImportSampleRecord {
  instruction: string;
  input: string;
  output: string;
  /** Few-shot history turns the record carries. */
  historyTurns: number;
}

export interface ImportPreview {
  entries: ImportPreviewEntry[];
}

export interface ImportProgress {
  importId: string;
  file: string;
  rows: number;
  bytesRead: number;
  totalBytes: number;
  done: boolean;
}

/** Marks around matched terms in search snippets; the UI turns them into highlights. */
export const HIGHLIGHT_START = '\u0002';
export const HIGHLIGHT_END = '\u0003';

export interface SearchHit {
  itemId: number;
  taskId: number;
  task: string;
  benchmark: string;
  category: string | null;
  config: TaskConfig;
  split: SplitName;
  index: number;
  /** Which text matched best, with HIGHLIGHT_START/END around matched terms. */
  field: 'input' | 'output';
  snippet: string;
  /**
   * The record's identity across copies (a fingerprint of its input, with line order and `Label:` prefixes
   * ignored): MedINST32's few-shot and zero-shot files and a MedS-Bench file can hold the same record.
   */
  recordKey: string;
  /** Every matching copy of the record on this page, this hit first: one chip each. */
  copies: SearchHitCopy[];
}

/** One copy of a record in a grouped search hit. */
export type SearchHitCopy = Pick<SearchHit, 'itemId' | 'taskId' | 'task' | 'benchmark' | 'config' | 'split' | 'index'>;

export interface FacetCount {
  value: string;
  count: number;
  /** False while the count is a lower bound (a broad query's counting was capped): `searchFacets` gives the exact one. */
  exact: boolean;
}

/**
 * Instructions are shared by many items (one per task in MedINST), so a match in an
 * instruction is reported once, with the tasks that use it, rather than as every item.
 */
export interface InstructionMatch {
  instructionId: number;
  snippet: string;
  tasks: { taskId: number; task: string; benchmark: string; itemCount: number }[];
}

export interface SearchResult {
  /** Items whose input or gold output matches, best first. */
  hits: SearchHit[];
  total: number;
  /** False when `total` and some facet counts are lower bounds: the counting stopped at a cap; `searchFacets` finishes it. */
  exact: boolean;
  /** True when hits are bm25-ranked; very broad queries list hits in library order instead. */
  ranked: boolean;
  instructionMatches: InstructionMatch[];
  facets: {
    benchmark: FacetCount[];
    category: FacetCount[];
    task: FacetCount[];
    split: FacetCount[];
    config: FacetCount[];
    language: FacetCount[];
  };
  tookMs: number;
}

/** The exact total and facet counts of a search (what `search` left as lower bounds). */
export type SearchFacetsResult = Pick<SearchResult, 'total' | 'exact' | 'facets'>;

/** A MedS-Ins instruction paraphrase (RewriteDefinitions.json); ord 0 is the original definition. */
export interface InstructionVariant {
  ord: number;
  kind: 'original' | 'rewrite';
  text: string;
}

/** A `Positive Examples` / `Negative Examples` entry of a natural-instructions task. */
export interface TaskExample {
  input: string;
  outputs: string[];
  explanation: string | null;
}

/** The first `items` of a longer list, with the length of the whole list. */
export interface Capped<T> {
  total: number;
  items: T[];
}

/** A metric a run of this task is scored with by default (names only; scoring stays in the engine). */
export interface TaskMetric {
  id: string;
  name: string;
  higherIsBetter: boolean;
  /** 1: values are fractions; 100: percentages. */
  scale: 1 | 100;
}

/** One file the task's rows (a split) or its instruction variants (a definitions file) came from. */
export interface TaskSource {
  kind: 'split' | 'definitions';
  /** The split the file filled; null for a definitions file. */
  config: TaskConfig | null;
  split: SplitName | null;
  path: string;
  size: number;
  sha256: string;
  layout: string;
  importedAt: string;
  appVersion: string;
  /**
   * Each file the split was read from, with its own size and sha256 (several for a sharded
   * split, whose sha256 above is over the shards' hashes). Empty for definitions files.
   */
  files: { path: string; size: number; sha256: string }[];
}

export interface TaskDetail extends TaskSummary {
  /** MedS-Bench / MedS-Ins task id (e.g. `task114`), which instruction variants are keyed by. */
  externalId: string | null;
  definition: string | null;
  sourceDataset: string | null;
  languages: string[];
  /** Natural-instructions `Domains` and `URL`, where the source had them. */
  domains: string[];
  urls: string[];
  /** Instructions the items carry, most used first: the task's prompt where it has no definition. */
  instructions: Capped<{ text: string; itemCount: number }>;
  instructionVariants: Capped<InstructionVariant>;
  positiveExamples: Capped<TaskExample>;
  negativeExamples: Capped<TaskExample>;
  /** Which benchmark's reference scoring a run of this task follows. */
  metricFamily: 'medinst32' | 'meds-bench';
  metrics: TaskMetric[];
  sources: TaskSource[];
}
