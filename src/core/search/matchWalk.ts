/**
 * One walk over a search query's matching rowids, a slice at a time, counting matches per split
 * and keeping one page of rowids. `search` drives it on a time budget; the background exact
 * counts (`countInBackground`) drive it to the end, yielding between slices.
 */
import type { TaskConfig, SplitName } from '../../shared/domain';
import type { Db } from '../db/open';

export interface SplitRow {
  splitId: number;
  min: number;
  max: number;
  config: TaskConfig;
  split: SplitName;
  taskId: number;
  task: string;
  category: string | null;
  benchmark: string;
  languages: string | null;
}

export interface MatchBuckets {
  /** Matches of the query in the whole index (decides whether ranking is affordable). */
  all: number;
  /** Matches per candidate split, in the order of `splits`. */
  counts: number[];
  /** Matches inside the candidate splits. */
  total: number;
  /** Rowids number `offset` to `offset + limit - 1` of those, in library (rowid) order. */
  page: number[];
  /** False when counting stopped early (a cap, the clock, a cancel): the numbers above are lower bounds. */
  complete: boolean;
  /** The last rowid counted: every split ending at or before it was counted whole. */
  last: number;
}

/** Matches per slice: at 16,384 one slice of "the of" alone took ~80 ms at 10M items (loaded); a restart costs far less than a slice. */
export const SLICE = 4_096;

/**
 * Why group_concat and a digit loop: for a word in half the library, better-sqlite3 building a
 * 510,000-element array took 71 ms of a ~100 ms search, while SQLite's own group_concat of the
 * same rowids plus the loop below takes 43 ms (measured, 1M-item library). Rowids arrive
 * ascending, so splits (sorted by range) are matched by a moving pointer, not a search per
 * rowid. Each slice is its own statement (`rowid > last`, which FTS5 seeks to), so a walk can
 * stop, or let other work run, between any two slices.
 */
export class MatchWalk {
  readonly counts: number[];
  readonly page: number[] = [];
  all = 0;
  total = 0;
  private k = 0;
  private last = 0;
  private capped = false;
  private readonly slice;

  constructor(
    db: Db,
    private readonly match: string,
    private readonly splits: SplitRow[],
    private readonly offset: number,
    private readonly limit: number,
    private readonly countLimit = Infinity,
  ) {
    // FTS5 yields rowids ascending, so a LIMIT stops the doclist walk early.
    this.slice = db
      .prepare("SELECT group_concat(rowid, ',') FROM (SELECT rowid FROM search.items_fts WHERE items_fts MATCH ? AND rowid > ? ORDER BY rowid LIMIT ?)")
      .pluck();
    this.counts = new Array<number>(splits.length).fill(0);
  }

  get pageFull(): boolean {
    return this.page.length >= this.limit || this.total >= this.offset + this.limit;
  }

  /** Counts up to `want` more matches; false once the walk has reached the end or the cap. */
  step(want: number): boolean {
    // One past the limit, to know whether there are more.
    const n = Math.min(want, this.countLimit - this.all + 1);
    const text = this.slice.get(this.match, this.last, n) as string | null;
    let got = 0;
    if (text) {
      let id = 0;
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c === 44) {
          this.take(id);
          got++;
          id = 0;
        } else id = id * 10 + (c - 48);
      }
      this.take(id);
      got++;
    }
    return !this.capped && got === n;
  }

  /** The counts so far; `complete` false when the walk was stopped before its end. */
  result(complete = !this.capped): MatchBuckets {
    return { all: this.all, counts: this.counts, total: this.total, page: this.page, complete, last: complete ? Infinity : this.last };
  }

  private take(id: number): void {
    // The one match past the limit only says that there are more.
    if (this.all === this.countLimit) {
      this.capped = true;
      return;
    }
    this.all++;
    this.last = id;
    const splits = this.splits;
    while (this.k < splits.length && splits[this.k]!.max < id) this.k++;
    const s = splits[this.k];
    if (!s || id < s.min) return;
    this.counts[this.k]!++;
    if (this.total >= this.offset && this.total < this.offset + this.limit) this.page.push(id);
    this.total++;
  }
}
