/**
 * What every reader produces, whatever the file layout: a description of the task
 * (known before the first record) and a stream of normalised records.
 * Readers never touch the database; the store writes what they yield.
 */
import { DomainError } from '../errors';
import type { HistoryTurn, SplitName, TaskConfig } from '../../shared/domain';

export type LayoutName =
  | 'medinst32-json' // unseen_tests/<Task>.json, unseen_tests_zs/<Task>.json, *_train_100k.json (JSON array or JSON Lines)
  | 'medinst32-parquet' // <Task>[-zs]/test/0000.parquet
  | 'medinst-json' // MedINST <Config>/<split>.json(l)
  | 'medinst-parquet' // MedINST <Config>/<split>/0000.parquet (+ shards)
  | 'meds-bench-task' // MedS-Bench <Category>/task<ID>_<name>.json(l): one natural-instructions object
  | 'meds-ins-task' // MedS-Ins flat task folder
  | 'meds-ins-definitions' // RewriteDefinitions.json
  | 'generic'; // user-mapped JSON / JSONL / CSV / parquet

export interface TaskDescriptor {
  benchmark: { name: string; title: string };
  task: string;
  category: string | null;
  config: TaskConfig;
  split: SplitName;
  /** Natural-instructions metadata where the layout has it. */
  definition?: string | null;
  sourceDataset?: string | null;
  languages?: string[];
  /** MedS-Bench / MedS-Ins task id, the file-name prefix before the first `_` (e.g. `task114`). */
  taskId?: string | null;
  /** All `Definition` strings of a natural-instructions file (`definition` is the first). */
  definitions?: string[];
  positiveExamples?: NatInstExample[];
  negativeExamples?: NatInstExample[];
  categories?: string[];
  domains?: string[];
  inputLanguages?: string[];
  outputLanguages?: string[];
  instructionLanguages?: string[];
  contributors?: string[];
  sources?: string[];
  urls?: string[];
  reasoning?: string[];
  /** Number of records when known before reading (natural-instructions files, parquet). */
  expectedCount?: number | null;
}

/** A `Positive Examples` / `Negative Examples` entry of a natural-instructions file. */
export interface NatInstExample {
  input: string;
  /** Normalised to a list, like instance outputs. */
  outputs: string[];
  explanation: string | null;
}

/** Which source column/field holds what, for the generic reader. */
export interface ColumnMapping {
  instruction?: string;
  input: string;
  output: string;
  history?: string;
  id?: string;
}

/** Explicit descriptor parts for the generic reader (anything omitted gets a default). */
export interface GenericTarget {
  /** Benchmark key; defaults to `planImport`'s `benchmark` option, then `custom`. */
  benchmark?: string;
  benchmarkTitle?: string;
  /** Defaults to the file name without extension. */
  task?: string;
  category?: string | null;
  /** Defaults to `test`. */
  split?: SplitName;
  /** Defaults to `default`. */
  config?: TaskConfig;
  /** Instruction used when the mapping has no instruction column. */
  instruction?: string;
}

export interface NormalisedRecord {
  /** 0-based position in the source; errors cite it (and `line` where the format has lines). */
  index: number;
  line?: number;
  sourceId?: string | null;
  instruction: string;
  input: string;
  /** Gold outputs; most tasks have exactly one. */
  outputs: string[];
  history: HistoryTurn[];
}

export interface ReadProgress {
  rows: number;
  bytesRead: number;
  totalBytes: number;
}

/** A located fault in an input file. `message` already names file and position. */
export class ImportError extends DomainError {
  constructor(
    message: string,
    readonly file: string,
    readonly location: { line?: number; record?: number; field?: string } = {},
  ) {
    super('import_failed', message);
    this.name = 'ImportError';
  }

  /** file, line, record and field for the envelope (the error model's `details`). */
  override get details(): Record<string, string | number> {
    const details: Record<string, string | number> = { file: this.file };
    for (const [k, v] of Object.entries(this.location)) if (v !== undefined) details[k] = v;
    return details;
  }
}

/** A file in none of the layouts the importer knows (the message lists them). */
export class UnknownLayoutError extends ImportError {
  /** True when the file was found inside a folder the user named, so skipUnknown would pass over it. */
  inFolder = false;

  /** Lets a client offer what helps: a column mapping, or skipping files found inside a folder. */
  override get details(): Record<string, string | number> {
    return { ...super.details, layout: this.inFolder ? 'unknown-in-folder' : 'unknown' };
  }
}
