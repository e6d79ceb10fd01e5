/**
 * Generic strategies: k-shot from a chosen pool, zero-shot, and raw completion for base
 * models. Templates use `{instruction}`, `{input}`, `{examples}` (and `{output}` in the
 * example template). Substitution is a single pass, so braces inside the substituted
 * texts are never expanded again; unknown `{names}` are left as they are.
 *
 * `{examples}` expands to the rendered demonstrations joined by the separator and
 * followed by one more separator, or to '' when there are none, so one template serves
 * both k-shot and zero-shot.
 */
import { drawExamples, firstOutput } from './sampling';
import type { PromptMessage, PromptRecord } from './types';

export type TemplateVars = Partial<Record<'instruction' | 'input' | 'examples' | 'output', string>>;

const PLACEHOLDER = /\{(instruction|input|examples|output)\}/g;

/** Replaces known placeholders in one pass. */
export function fillTemplate(template: string, vars: TemplateVars): string {
  return template.replace(PLACEHOLDER, (whole, name: keyof TemplateVars) => vars[name] ?? whole);
}

/** The `{examples}` text: blocks joined by `separator`, plus a trailing `separator`; '' for none. */
export function renderExamples(examples: readonly PromptRecord[], exampleTemplate: string, separator: string): string {
  if (examples.length === 0) return '';
  return (
    examples.map((e) => fillTemplate(exampleTemplate, { input: e.input, output: firstOutput(e.output), instruction: e.instruction ?? '' })).join(separator) +
    separator
  );
}

export interface GenericTemplates {
  system: string;
  user: string;
  example: string;
  exampleSeparator: string;
}

export interface GenericOptions extends GenericTemplates {
  k: number;
  seed: number;
  instruction: string;
  pool?: readonly PromptRecord[];
}

/** Demonstrations for a generic prompt: never the query itself. */
export function genericExamples(query: PromptRecord, opts: { k: number; seed: number; pool?: readonly PromptRecord[] }): PromptRecord[] {
  return drawExamples(opts.pool ?? [], query, opts.k, opts.seed);
}

/** System (omitted when it renders empty) and user messages. */
export function genericMessages(instruction: string, input: string, examples: readonly PromptRecord[], t: GenericTemplates): PromptMessage[] {
  const vars: TemplateVars = { instruction, input, examples: renderExamples(examples, t.example, t.exampleSeparator) };
  const system = fillTemplate(t.system, vars);
  const user = fillTemplate(t.user, vars);
  return system === ''
    ? [{ role: 'user', content: user }]
    : [
        { role: 'system', content: system },
        { role: 'user', content: user },
      ];
}

export function genericPrompt(query: PromptRecord, opts: GenericOptions): PromptMessage[] {
  return genericMessages(opts.instruction, query.input, genericExamples(query, opts), opts);
}

/** A single completion text (no chat template), for base models. */
export function rawPrompt(query: PromptRecord, opts: Omit<GenericOptions, 'system' | 'user'> & { text: string }): string {
  const examples = genericExamples(query, opts);
  return fillTemplate(opts.text, {
    instruction: opts.instruction,
    input: query.input,
    examples: renderExamples(examples, opts.example, opts.exampleSeparator),
  });
}
