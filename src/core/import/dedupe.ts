import { splitKey } from './store';
import type { ImportPlan, SourcePlan } from './plan';

/**
 * A Hub download often holds the same split twice: the JSON of the main branch and the
 * parquet of the conversion branch. Keep one (JSON: it is the published original) and say
 * which file was left out, instead of failing the whole folder.
 */
export function dedupeSplits(plans: ImportPlan[]): { plans: ImportPlan[]; skipped: { file: string; reason: string }[] } {
  const chosen = new Map<string, SourcePlan>();
  for (const p of plans) {
    if (p.kind !== 'records') continue;
    const key = splitKey(p);
    const other = chosen.get(key);
    if (!other || (other.layout.endsWith('parquet') && !p.layout.endsWith('parquet'))) chosen.set(key, p);
  }
  const kept: ImportPlan[] = [];
  const skipped: { file: string; reason: string }[] = [];
  for (const p of plans) {
    if (p.kind !== 'records' || chosen.get(splitKey(p)) === p) kept.push(p);
    else skipped.push({ file: p.file, reason: `${splitKey(p)} is imported from ${chosen.get(splitKey(p))!.file}` });
  }
  return { plans: kept, skipped };
}
