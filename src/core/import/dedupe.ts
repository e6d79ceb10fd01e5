import { splitKey } from './store';
import type { ImportPlan, SourcePlan } from './plan';
import { ImportError } from './types';

function rows(p: SourcePlan): string {
  const n = p.descriptor.expectedCount;
  return n == null ? 'rows not counted' : `${n} ${n === 1 ? 'row' : 'rows'}`;
}

/**
 * A Hub download often holds the same split twice: the JSON of the main branch and the
 * parquet of the conversion branch. Keep one (JSON: it is the published original) and say
 * which file was left out, instead of failing the whole folder. Two files are twins only
 * when they hold as many rows (planImport counts them): otherwise one is not a copy of the
 * other (a download cut short, a different version), and keeping either would be a guess.
 */
export function dedupeSplits(plans: ImportPlan[]): { plans: ImportPlan[]; skipped: { file: string; reason: string }[] } {
  const chosen = new Map<string, SourcePlan>();
  for (const p of plans) {
    if (p.kind !== 'records') continue;
    const key = splitKey(p);
    const other = chosen.get(key);
    if (other && (other.descriptor.expectedCount == null || other.descriptor.expectedCount !== p.descriptor.expectedCount)) {
      throw new ImportError(
        `${other.file} (${rows(other)}) and ${p.file} (${rows(p)}) both hold ${key} but not the same number of rows, so one is not a copy of the other; import one of them`,
        p.file,
        {},
      );
    }
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
