/**
 * Prompt templates: defaults per strategy, validation of untrusted (JSON) templates and
 * the canonical JSON that {@link templateHash} hashes. Pure: no I/O, no crypto.
 */
import { MEDS_DEFAULT_K } from './medsBench';
import { STRATEGY_IDS, type ExamplePool, type PromptMode, type PromptTemplate, type StrategyId } from './types';

/** A template with every field its strategy uses filled in. */
export type ResolvedTemplate = PromptTemplate & { k: number | null };

export const GENERIC_DEFAULTS = {
  system: '{instruction}',
  user: '{examples}Input: {input}\nOutput:',
  example: 'Input: {input}\nOutput: {output}',
  exampleSeparator: '\n\n',
} as const;

export const ZERO_SHOT_DEFAULTS = { system: '{instruction}', user: '{input}' } as const;

export const RAW_DEFAULTS = {
  text: '{instruction}\n\n{examples}Input: {input}\nOutput:',
  example: 'Input: {input}\nOutput: {output}',
  exampleSeparator: '\n\n',
} as const;

/** The template a strategy starts from. */
export function defaultTemplate(strategy: StrategyId): ResolvedTemplate {
  switch (strategy) {
    case 'medinst32':
      return { strategy, k: null, seed: 0, variant: 0 };
    case 'meds-bench':
      return { strategy, k: MEDS_DEFAULT_K, seed: 0, variant: 0, mode: 'reference' };
    case 'generic':
      return { strategy, k: 3, seed: 0, variant: 0, pool: 'split', ...GENERIC_DEFAULTS };
    case 'zero-shot':
      return { strategy, k: 0, seed: 0, variant: 0, ...ZERO_SHOT_DEFAULTS };
    case 'raw':
      return { strategy, k: 0, seed: 0, variant: 0, pool: 'split', ...RAW_DEFAULTS };
  }
}

const FIELDS: Record<StrategyId, readonly (keyof PromptTemplate)[]> = {
  medinst32: ['strategy', 'k', 'seed', 'variant'],
  'meds-bench': ['strategy', 'k', 'seed', 'variant', 'mode'],
  generic: ['strategy', 'k', 'seed', 'variant', 'pool', 'system', 'user', 'example', 'exampleSeparator'],
  'zero-shot': ['strategy', 'k', 'seed', 'variant', 'system', 'user'],
  raw: ['strategy', 'k', 'seed', 'variant', 'pool', 'text', 'example', 'exampleSeparator'],
};

/**
 * Fills defaults and drops fields the strategy does not use, so equivalent templates are
 * equal (and hash equal). `zero-shot` always has k = 0.
 */
export function resolveTemplate(t: PromptTemplate): ResolvedTemplate {
  const base = defaultTemplate(t.strategy);
  const merged: Record<string, unknown> = { ...base };
  for (const f of FIELDS[t.strategy]) if (t[f] !== undefined) merged[f] = t[f];
  // k: null means "the strategy's default" except for medinst32, where it keeps the stored history.
  if (t.k === null && t.strategy !== 'medinst32') merged.k = base.k;
  if (t.strategy === 'zero-shot') merged.k = 0;
  const out: Record<string, unknown> = {};
  for (const f of FIELDS[t.strategy]) if (merged[f] !== undefined) out[f] = merged[f];
  return out as unknown as ResolvedTemplate;
}

const MODES: readonly PromptMode[] = ['reference', 'corrected'];
const POOLS: readonly ExamplePool[] = ['split', 'positive'];

/** Validates an untrusted value (e.g. parsed JSON) as a template; errors name the field. */
export function parseTemplate(value: unknown): ResolvedTemplate {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new TypeError('prompt template: must be an object');
  const o = value as Record<string, unknown>;
  const fail = (field: string, why: string): never => {
    throw new TypeError(`prompt template: "${field}" ${why}`);
  };
  if (typeof o.strategy !== 'string' || !STRATEGY_IDS.includes(o.strategy as StrategyId)) fail('strategy', `must be one of ${STRATEGY_IDS.join(', ')}`);
  const strategy = o.strategy as StrategyId;
  const allowed = new Set<string>(FIELDS[strategy]);
  for (const key of Object.keys(o)) if (!allowed.has(key)) fail(key, `is not a field of the ${strategy} strategy`);
  const nonNegInt = (f: string) => {
    const v = o[f];
    if (v !== undefined && (typeof v !== 'number' || !Number.isInteger(v) || v < 0)) fail(f, 'must be a non-negative integer');
  };
  if (o.k !== null) nonNegInt('k');
  nonNegInt('variant');
  if (o.seed !== undefined && (typeof o.seed !== 'number' || !Number.isInteger(o.seed) || o.seed < 0 || o.seed > 0xffffffff))
    fail('seed', 'must be an integer in 0..4294967295');
  if (o.mode !== undefined && !MODES.includes(o.mode as PromptMode)) fail('mode', `must be one of ${MODES.join(', ')}`);
  if (o.pool !== undefined && !POOLS.includes(o.pool as ExamplePool)) fail('pool', `must be one of ${POOLS.join(', ')}`);
  for (const f of ['system', 'user', 'example', 'exampleSeparator', 'text']) if (o[f] !== undefined && typeof o[f] !== 'string') fail(f, 'must be a string');
  return resolveTemplate(o as unknown as PromptTemplate);
}

/** JSON with object keys sorted (recursively) and no whitespace; `undefined` members dropped. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError('canonicalJson: non-finite number');
    const s = JSON.stringify(value);
    if (s === undefined) throw new TypeError(`canonicalJson: cannot encode ${typeof value}`);
    return s;
  }
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const o = value as Record<string, unknown>;
  const keys = Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`;
}
