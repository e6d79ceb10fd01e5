/**
 * Annotations orphaned by a changed benchmark file: the library still has the annotated task but
 * the item at that key now holds other content (its fingerprint differs) or is gone. Annotations
 * of items the library never held (a predictions file's run, a colleague's import) are not orphans.
 */
import type { OrphanedAnnotation } from '../../shared/annotations';
import type { Db } from '../db/open';
import { libraryFingerprints } from './runItems';
import { allAnnotations } from './store';

export function findOrphans(db: Db): OrphanedAnnotation[] {
  const cache = new Map<string, string[] | null>();
  const out: OrphanedAnnotation[] = [];
  for (const a of allAnnotations(db)) {
    const k = `${a.benchmark}\u0000${a.task}\u0000${a.index}`;
    if (!cache.has(k)) cache.set(k, libraryFingerprints(db, a.benchmark, a.task, a.index));
    const lib = cache.get(k)!;
    if (lib === null) continue;
    if (lib.length === 0) out.push({ itemKey: a.itemKey, reviewer: a.reviewer, run: a.runLabel, reason: 'missing' });
    else if (!lib.includes(a.fingerprint)) out.push({ itemKey: a.itemKey, reviewer: a.reviewer, run: a.runLabel, reason: 'changed' });
  }
  return out;
}
