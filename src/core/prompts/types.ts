/**
 * Types shared by the prompt strategies. Everything is plain data (JSON-safe), so a
 * template can be stored next to a run and hashed ({@link templateHash}).
 */
import type { HistoryTurn } from '../../shared/domain';

export type PromptRole = 'system' | 'user' | 'assistant';

export interface PromptMessage {
  role: PromptRole;
  content: string;
}

/** A chat prompt (rendered later with the model's chat template) or a raw completion prompt. */
export type RenderedPrompt = { messages: PromptMessage[] } | { text: string };

/**
 * One record a prompt is built from or draws demonstrations from.
 *
 * `output` keeps the source's shape: MedS-Bench instances may store a list of gold
 * outputs (`["The right answer is yes"]`) and the reference prompt code treats lists
 * and strings differently, so do not flatten it before rendering.
 *
 * `key` identifies the record inside its pool (e.g. the record index); it is how the
 * query is recognised and excluded from its own demonstrations, and it seeds the
 * per-query example draw. Without a key, object identity and the input text are used.
 */
export interface PromptRecord {
  key?: string | number;
  instruction?: string;
  input: string;
  output?: string | readonly string[];
  history?: readonly HistoryTurn[];
}

export type StrategyId = 'medinst32' | 'meds-bench' | 'generic' | 'zero-shot' | 'raw';
export const STRATEGY_IDS: readonly StrategyId[] = ['medinst32', 'meds-bench', 'generic', 'zero-shot', 'raw'];

/**
 * MedS-Bench prompt mode, in the style of the metrics' `reference | corrected`:
 * `reference` reproduces EvalDataset.py: demonstrations are drawn from all of the task's
 * instances, the query included (`random.sample(Pos_instance, min(len, 3))`), and as soon
 * as one drawn output is a list, `output[0]` is taken for every drawn example (a string
 * output then shrinks to its first character). `corrected` draws from the instances other
 * than the query and takes `output[0]` only for list outputs.
 */
export type PromptMode = 'reference' | 'corrected';

/** Where generic k-shot demonstrations come from (the caller supplies the pool). */
export type ExamplePool = 'split' | 'positive';

/**
 * A serialisable description of a prompt strategy.
 *
 * - `k`: number of demonstrations (0 = zero-shot; null = the strategy's default, 3 for
 *   `meds-bench` and `generic`). For `medinst32`, `k: null` keeps the record's stored
 *   `history` (the benchmark's own two-shot turns) and a number re-draws that many.
 * - `seed`: seeds the demonstration draw (mulberry32, see `prng.ts`); combined with the
 *   query's key so that every query gets its own, reproducible, draw.
 * - `variant`: 0 = the original instruction / definition; i ≥ 1 = the i-th paraphrase
 *   (`auto_rewrite_def[i - 1]` of MedS-Ins RewriteDefinitions.json).
 * - `system`, `user`, `example`, `exampleSeparator`, `text`: templates of the `generic`,
 *   `zero-shot` and `raw` strategies with `{instruction}`, `{input}`, `{examples}` (and
 *   `{output}` in `example`) placeholders.
 */
export interface PromptTemplate {
  strategy: StrategyId;
  k: number | null;
  seed: number;
  variant: number;
  mode?: PromptMode;
  pool?: ExamplePool;
  system?: string;
  user?: string;
  example?: string;
  exampleSeparator?: string;
  text?: string;
}

/** What a template is rendered against. */
export interface PromptContext {
  query: PromptRecord;
  /** Candidate demonstrations (a split's records or the task's positive examples). */
  pool?: readonly PromptRecord[];
  /**
   * Instruction texts: index 0 the original instruction (MedS-Bench: `Definition[0]`),
   * index i the i-th paraphrase. When absent, `query.instruction` is the only variant.
   */
  instructions?: readonly string[];
}
