/**
 * The compare core's memory of compared runs: each run's finished-item facts and parsed per-item
 * scores, kept so a second compare, the statistics call and a search skip re-reading 10,000-item
 * runs. Bounded (least recently used runs go first once the cached items pass a budget) and
 * invalidated by a run's stamp (its creation time and finished-item count, so a resumed run or a
 * deleted run whose id is reused is read anew) and explicitly on rescore.
 */
import type { Db } from '../db/open';

/**
 * Items (facts plus each mode's score rows) kept over all cached runs: about 350 bytes an item,
 * so ~70 MB, room for two 8-run × 10,000-item compares. The runs of the call in progress stay
 * referenced by it even when evicted, so a single compare larger than this still works.
 */
export const DEFAULT_MAX_CACHED_ITEMS = 200_000;

export interface RunStamp {
  /** `created_at/done`: changes when the run resumes (more finished items) or is replaced. */
  stamp: string;
  done: number;
}

interface Slot {
  stamp: string;
  /** Anything keyed by kind (`facts`, `scores/reference`, …) with its size in items. */
  parts: Map<string, { items: number; value: unknown; check?: number }>;
}

class RunCache {
  /** Insertion order is recency: a touched slot is moved to the end. */
  private slots = new Map<number, Slot>();
  constructor(public maxItems: number) {}

  private items(slot: Slot): number {
    let n = 0;
    for (const p of slot.parts.values()) n += p.items;
    return n;
  }

  private slot(runId: number, stamp: string): Slot {
    let slot = this.slots.get(runId);
    if (slot && slot.stamp !== stamp) slot = undefined;
    if (!slot) slot = { stamp, parts: new Map() };
    this.slots.delete(runId);
    this.slots.set(runId, slot);
    return slot;
  }

  /** A cached part of a run, or `build()`'s (kept) when the stamp or `check` changed. */
  get<T>(runId: number, stamp: string, part: string, check: number | undefined, build: () => { value: T; items: number }): T {
    const slot = this.slot(runId, stamp);
    const hit = slot.parts.get(part);
    if (hit && hit.check === check) return hit.value as T;
    const built = build();
    slot.parts.set(part, { items: built.items, value: built.value, check });
    this.evict(runId);
    return built.value;
  }

  /** A cached part if it is there and current, without building it (nor counting as a use). */
  peek<T>(runId: number, stamp: string, part: string, check?: number): T | undefined {
    const slot = this.slots.get(runId);
    const hit = slot && slot.stamp === stamp ? slot.parts.get(part) : undefined;
    return hit && hit.check === check ? (hit.value as T) : undefined;
  }

  private evict(keep: number): void {
    let total = 0;
    for (const s of this.slots.values()) total += this.items(s);
    for (const [runId, slot] of this.slots) {
      if (total <= this.maxItems) break;
      if (runId === keep) continue;
      total -= this.items(slot);
      this.slots.delete(runId);
    }
  }

  invalidate(runId?: number): void {
    if (runId === undefined) this.slots.clear();
    else this.slots.delete(runId);
  }

  info(): { runs: number[]; items: number } {
    let items = 0;
    for (const s of this.slots.values()) items += this.items(s);
    return { runs: [...this.slots.keys()], items };
  }
}

const caches = new WeakMap<Db, RunCache>();

export function runCache(db: Db): RunCache {
  let c = caches.get(db);
  if (!c) caches.set(db, (c = new RunCache(DEFAULT_MAX_CACHED_ITEMS)));
  return c;
}

/** Forget what the compare core keeps of one run (or of every run): after a rescore, a deletion, a rewrite. */
export function invalidateCompareRun(db: Db, runId?: number): void {
  caches.get(db)?.invalidate(runId);
}

/** Which runs are cached (least recently used first) and how many items they hold; for tests and diagnostics. */
export function compareCacheInfo(db: Db): { runs: number[]; items: number; maxItems: number } {
  const c = runCache(db);
  return { ...c.info(), maxItems: c.maxItems };
}

/** Sets the cache's item budget (tests use a small one); evicts nothing until the next read. */
export function setCompareCacheLimit(db: Db, maxItems: number): void {
  runCache(db).maxItems = maxItems;
}

/** A run's stamp plus the counts the compare header needs, in one pass over its items. */
export function runStamp(db: Db, runId: number): (RunStamp & { total: number; errors: number }) | undefined {
  const createdAt = db.prepare('SELECT created_at FROM runs WHERE id = ?').pluck().get(runId) as string | undefined;
  if (createdAt === undefined) return undefined;
  // Reads only the run_items_status index (migration 10), never the items' text.
  const c = db
    .prepare(
      `SELECT COUNT(*) AS total, COALESCE(SUM(status != 'pending'), 0) AS done, COALESCE(SUM(status = 'error'), 0) AS errors
         FROM run_items INDEXED BY run_items_status WHERE run_id = ?`,
    )
    .get(runId) as { total: number; done: number; errors: number };
  return { stamp: `${createdAt}/${c.done}`, done: c.done, total: c.total, errors: c.errors };
}
