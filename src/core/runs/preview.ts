import type { CallArgs } from '../../shared/contract';
import type { PromptPreview, PromptTemplateSpec } from '../../shared/runs';
import type { Db } from '../db/open';
import { templateHash } from '../prompts/hash';
import { renderPrompt } from '../prompts/render';
import { resolveTemplate } from '../prompts/template';
import { ContextCache, toTemplate } from './runner';
import { loadItemRecords, selectItems } from './store';
import { BadInputError, NotFoundError } from '../errors';

/** The prompt a run would send for one item, and the hash its template is stored under. */
export function previewPrompt(db: Db, args: CallArgs<'previewPrompt'>): PromptPreview {
  const template = resolveTemplate(toTemplate(args.template));
  const { items } = selectItems(db, { taskIds: [args.taskId], ...(args.config ? { config: args.config } : {}), ...(args.split ? { split: args.split } : {}) });
  const chosen = args.index === undefined ? items[0] : items.find((i) => i.index === args.index);
  if (!chosen || chosen.itemId === null)
    throw new NotFoundError(`task ${args.taskId} has no item${args.index === undefined ? 's' : ` #${args.index}`}`, { field: 'index' });
  const [record] = loadItemRecords(db, { ids: [chosen.itemId] });
  try {
    const prompt = renderPrompt(template, new ContextCache(db, template).context(record!));
    return { templateHash: templateHash(template), template: template as PromptTemplateSpec, itemId: chosen.itemId, index: chosen.index ?? 0, prompt };
  } catch (err) {
    throw new BadInputError(`template: ${err instanceof Error ? err.message : String(err)}`, { field: 'template' });
  }
}
