/** Library items as prompt records. */
import type { Item } from '../../shared/domain';
import type { PromptRecord } from './types';

/**
 * An item as a prompt record keyed by its record index. `output`: `auto` gives a list
 * when the item has several gold outputs and a string otherwise; pass `list` for
 * MedS-Bench tasks whose instances store one-element lists (e.g. task123), since the
 * reference prompt code treats list outputs differently.
 */
export function promptRecordFromItem(item: Item, output: 'auto' | 'string' | 'list' = 'auto'): PromptRecord {
  const asList = output === 'list' || (output === 'auto' && item.outputs.length > 1);
  return {
    key: item.index,
    instruction: item.instruction,
    input: item.input,
    output: asList ? [...item.outputs] : item.output,
    history: item.history,
  };
}
