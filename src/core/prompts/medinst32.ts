/**
 * MedINST32 prompting, as `predict()` in aialt/MedINST evaluation.py builds it:
 * each stored `history` pair becomes a user turn and an assistant turn, then one user turn
 * `instruction + "\n" + input`. Zero-shot configs (`<Task>-zs`) have no history.
 */
import type { HistoryTurn } from '../../shared/domain';
import { drawExamples, firstOutput } from './sampling';
import type { PromptMessage, PromptRecord } from './types';

/** The user turn of a MedINST32 record: `instruction + "\n" + input`. */
export function medinst32UserTurn(instruction: string, input: string): string {
  return `${instruction}\n${input}`;
}

/** Chat messages for a record with its (possibly empty) history, exactly as evaluation.py. */
export function medinst32Messages(record: { instruction: string; input: string; history?: readonly HistoryTurn[] }): PromptMessage[] {
  const messages: PromptMessage[] = [];
  for (const [user, assistant] of record.history ?? []) {
    messages.push({ role: 'user', content: user }, { role: 'assistant', content: assistant });
  }
  messages.push({ role: 'user', content: medinst32UserTurn(record.instruction, record.input) });
  return messages;
}

/**
 * History pairs in MedINST32's own style from drawn examples: user = instruction + "\n" +
 * example input, assistant = example output (the first one of a list).
 */
export function medinst32HistoryFrom(instruction: string, examples: readonly PromptRecord[]): HistoryTurn[] {
  return examples.map((e) => [medinst32UserTurn(instruction, e.input), firstOutput(e.output)]);
}

/**
 * Swaps the original instruction for another variant at the start of stored history turns
 * (MedINST32 history user turns are `instruction + "\n" + example input`). Turns that do
 * not start with the original instruction are kept as they are.
 */
export function replaceHistoryInstruction(history: readonly HistoryTurn[], original: string, replacement: string): HistoryTurn[] {
  if (original === replacement) return history.map(([u, a]) => [u, a]);
  const prefix = `${original}\n`;
  return history.map(([u, a]) => [u.startsWith(prefix) ? `${replacement}\n${u.slice(prefix.length)}` : u, a]);
}

export interface Medinst32Options {
  /** null: keep the record's stored history; a number: draw that many examples from `pool` instead. */
  k: number | null;
  seed: number;
  instruction: string;
  pool?: readonly PromptRecord[];
}

/** MedINST32 messages for a query under a template's choices (stored or re-drawn history, instruction variant). */
export function medinst32Prompt(query: PromptRecord, opts: Medinst32Options): PromptMessage[] {
  const original = query.instruction ?? '';
  let history: HistoryTurn[];
  if (opts.k === null) history = replaceHistoryInstruction(query.history ?? [], original, opts.instruction);
  else history = medinst32HistoryFrom(opts.instruction, drawExamples(opts.pool ?? [], query, opts.k, opts.seed));
  return medinst32Messages({ instruction: opts.instruction, input: query.input, history });
}
