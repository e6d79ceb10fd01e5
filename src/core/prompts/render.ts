/** Renders a prompt template against a query: the one entry point over all strategies. */
import { genericPrompt, rawPrompt } from './generic';
import { selectInstruction } from './instructions';
import { medinst32Prompt } from './medinst32';
import { medsBenchPrompt } from './medsBench';
import { resolveTemplate } from './template';
import type { PromptContext, PromptTemplate, RenderedPrompt } from './types';

export function renderPrompt(template: PromptTemplate, ctx: PromptContext): RenderedPrompt {
  const t = resolveTemplate(template);
  const instruction = selectInstruction(ctx, t.variant);
  const k = t.k ?? 0;
  switch (t.strategy) {
    case 'medinst32':
      return { messages: medinst32Prompt(ctx.query, { k: t.k, seed: t.seed, instruction, pool: ctx.pool }) };
    case 'meds-bench':
      return { messages: medsBenchPrompt(ctx.query, { k, seed: t.seed, definition: instruction, mode: t.mode ?? 'reference', pool: ctx.pool ?? [ctx.query] }) };
    case 'generic':
    case 'zero-shot':
      return {
        messages: genericPrompt(ctx.query, {
          k,
          seed: t.seed,
          instruction,
          pool: ctx.pool,
          system: t.system!,
          user: t.user!,
          example: t.example ?? '',
          exampleSeparator: t.exampleSeparator ?? '',
        }),
      };
    case 'raw':
      return {
        text: rawPrompt(ctx.query, { k, seed: t.seed, instruction, pool: ctx.pool, text: t.text!, example: t.example!, exampleSeparator: t.exampleSeparator! }),
      };
  }
}
