/**
 * The template editor's JSON: parsed and checked for shape here (what the editor can tell at
 * once); the engine checks ranges and placeholders when it renders the preview.
 */
import type { PromptTemplateSpec } from '../../../../shared/runs';

export const TEMPLATE_STRATEGIES: readonly PromptTemplateSpec['strategy'][] = ['medinst32', 'meds-bench', 'generic', 'zero-shot', 'raw'];
const NUMBERS = ['seed', 'variant'] as const;
const STRINGS = ['system', 'user', 'example', 'exampleSeparator', 'text'] as const;
const KNOWN = new Set<string>(['strategy', 'k', 'mode', 'pool', ...NUMBERS, ...STRINGS]);

export type ParsedTemplate = { ok: true; value: PromptTemplateSpec } | { ok: false; error: string };

export function templateText(template: PromptTemplateSpec): string {
  return JSON.stringify(template, null, 2);
}

export function parseTemplate(text: string): ParsedTemplate {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { ok: false, error: `Invalid JSON: ${err instanceof Error ? err.message : String(err)}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, error: 'The template must be a JSON object.' };
  const obj = value as Record<string, unknown>;
  const unknown = Object.keys(obj).filter((k) => !KNOWN.has(k));
  if (unknown.length > 0) return { ok: false, error: `Unknown field${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}.` };
  if (!TEMPLATE_STRATEGIES.includes(obj.strategy as PromptTemplateSpec['strategy']))
    return { ok: false, error: `strategy: one of ${TEMPLATE_STRATEGIES.join(', ')}.` };
  if (obj.k !== undefined && obj.k !== null && typeof obj.k !== 'number') return { ok: false, error: 'k: a number or null.' };
  for (const name of NUMBERS) if (obj[name] !== undefined && typeof obj[name] !== 'number') return { ok: false, error: `${name}: a number.` };
  for (const name of STRINGS) if (obj[name] !== undefined && typeof obj[name] !== 'string') return { ok: false, error: `${name}: a string.` };
  if (obj.mode !== undefined && obj.mode !== 'reference' && obj.mode !== 'corrected') return { ok: false, error: 'mode: "reference" or "corrected".' };
  if (obj.pool !== undefined && obj.pool !== 'split' && obj.pool !== 'positive') return { ok: false, error: 'pool: "split" or "positive".' };
  return { ok: true, value: obj as unknown as PromptTemplateSpec };
}
