/**
 * MedS-Bench prompting, as `InsDataset.__getitem__` in MAGIC-AI4Med/MedS-Ins
 * Evaluation/EvalDataset.py builds it with eval.py's settings (3-shot, original definition):
 *
 *   system = "\n\n".join(cases) + "\n\n" + definition + MEDS_LEARN_SENTENCE
 *            (no separator between the definition and the sentence)
 *   case   = "Input:\n" + input + "\n" + "\n" + "Output:\n" + output + "\n"
 *   user   = "Input:\n" + input + "\n" + "Output:\n"
 *
 * With k = 0 (the script's "no context" branch) system = definition and user = the raw input.
 */
import { drawExamples, firstOutput } from './sampling';
import type { PromptMessage, PromptMode, PromptRecord } from './types';

export const MEDS_LEARN_SENTENCE = 'Please learn from the few-shot cases to see what content you have to output.';
export const MEDS_DEFAULT_K = 3;

/** One demonstration block. */
export function medsCase(input: string, output: string): string {
  return 'Input:\n' + input + '\n' + '\n' + 'Output:\n' + output + '\n';
}

/**
 * The outputs written into the demonstrations. `reference`: EvalDataset.py first tries
 * `str + output` for every example; one list output makes that raise, and the fallback
 * takes `output[0]` for all of them, so a string output becomes its first character
 * (Python would raise IndexError on an empty string; we write ''). `corrected`: only list
 * outputs are reduced to their first element.
 */
export function medsCaseOutputs(outputs: readonly (string | readonly string[] | undefined)[], mode: PromptMode): string[] {
  const anyList = outputs.some((o) => o !== undefined && typeof o !== 'string');
  if (mode === 'reference' && anyList) return outputs.map((o) => (o === undefined ? '' : (o[0] ?? '')));
  return outputs.map((o) => firstOutput(o));
}

/** The few-shot string: blocks joined by a blank line, followed by a blank line. */
export function medsFewShotString(examples: readonly PromptRecord[], mode: PromptMode): string {
  const outs = medsCaseOutputs(
    examples.map((e) => e.output),
    mode,
  );
  return examples.map((e, i) => medsCase(e.input, outs[i]!)).join('\n\n') + '\n\n';
}

export function medsUserTurn(input: string): string {
  return 'Input:\n' + input + '\n' + 'Output:\n';
}

/** System and user messages for given demonstrations (already drawn). */
export function medsBenchMessages(
  definition: string,
  query: string,
  examples: readonly PromptRecord[] | null,
  mode: PromptMode = 'reference',
): PromptMessage[] {
  if (examples === null) {
    return [
      { role: 'system', content: definition },
      { role: 'user', content: query },
    ];
  }
  return [
    { role: 'system', content: medsFewShotString(examples, mode) + definition + MEDS_LEARN_SENTENCE },
    { role: 'user', content: medsUserTurn(query) },
  ];
}

export interface MedsBenchOptions {
  k: number;
  seed: number;
  definition: string;
  mode: PromptMode;
  /** All of the task's instances (the query among them in the reference set-up). */
  pool: readonly PromptRecord[];
}

/** Draws the demonstrations (query included in `reference` mode) and builds the messages. */
export function medsBenchPrompt(query: PromptRecord, opts: MedsBenchOptions): PromptMessage[] {
  if (opts.k <= 0) return medsBenchMessages(opts.definition, query.input, null, opts.mode);
  const examples = drawExamples(opts.pool, query, opts.k, opts.seed, opts.mode === 'reference');
  return medsBenchMessages(opts.definition, query.input, examples, opts.mode);
}

/**
 * The gold text the reference writes into the results CSV (`GT`): `output[0]` for list
 * outputs, the string itself otherwise.
 */
export function medsGold(output: string | readonly string[]): string {
  return firstOutput(output);
}
