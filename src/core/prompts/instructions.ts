/** Instruction variants: the original instruction or the i-th paraphrase. */
import type { PromptContext } from './types';

/** The instruction texts of a context: `ctx.instructions`, else the query's own instruction. */
export function instructionVariants(ctx: PromptContext): readonly string[] {
  if (ctx.instructions && ctx.instructions.length > 0) return ctx.instructions;
  return [ctx.query.instruction ?? ''];
}

/** Variant 0 = original; i ≥ 1 = the i-th paraphrase. Throws a RangeError naming the range. */
export function selectInstruction(ctx: PromptContext, variant: number): string {
  const all = instructionVariants(ctx);
  if (!Number.isInteger(variant) || variant < 0 || variant >= all.length) {
    const have = all.length - 1;
    throw new RangeError(
      `instruction variant ${variant} does not exist: 0 is the original${have > 0 ? `, 1..${have} are paraphrases` : ' and there are no paraphrases'}`,
    );
  }
  return all[variant]!;
}
