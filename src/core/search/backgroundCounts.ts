/**
 * The exact counts a broad search hands over (`searchFacets`), walked in the background: a slice
 * at a time with the event loop free between slices, one walk at a time, and a walk for a query
 * nobody is looking at any more is stopped.
 *
 * Why: at 10M items an exact count of a common word or phrase walks millions of rowids (seconds).
 * Done in one synchronous call it held the whole engine (the web host's every request, the next
 * search, a run's progress) for that long, and a count for a query the user had already replaced
 * ran to its end before the new query's count could start.
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { CallArgs } from '../../shared/contract';
import type { SearchFacetsResult } from '../../shared/domain';
import type { Db } from '../db/open';
import { BadInputError, CancelledError, DomainError } from '../errors';
import { MatchWalk } from './matchWalk';
import { candidateSplits, facetsOf, toFtsQuery } from './query';

type Args = CallArgs<'searchFacets'>;

/** A slice's target length: long enough that restarting the walk costs little, short enough that other calls wait no longer than this. */
const SLICE_MS = 15;
const FIRST_SLICE = 4_096;
const MAX_SLICE = 1 << 18;

interface Walk {
  key: string;
  query: string;
  result: Promise<SearchFacetsResult>;
  stop: string | null;
}

/** What identifies one count: the query and its filters (the same search asked twice shares one walk). */
function keyOf(args: Args): string {
  return JSON.stringify([args.query.trim(), args.benchmark, args.category, args.taskId, args.split, args.config, args.language]);
}

export class BackgroundCounts {
  private current: Walk | null = null;
  private closed = false;

  /** Slice sizes are for tests: a small library walked in slices of a few matches. */
  constructor(
    private readonly db: Db,
    private readonly slices = { first: FIRST_SLICE, max: MAX_SLICE },
  ) {}

  /** The exact total and facets; a later count for another query, a search for another query, or `stopAll` stops this one (CancelledError). */
  count(args: Args): Promise<SearchFacetsResult> {
    if (this.closed) return Promise.reject(new CancelledError('Counting stopped: the library is closing.'));
    const key = keyOf(args);
    if (this.current?.key === key) return this.current.result;
    this.stop('a newer search is being counted');
    const walk = { key, query: args.query.trim(), stop: null } as Walk;
    walk.result = this.walk(walk, args).finally(() => {
      if (this.current === walk) this.current = null;
    });
    this.current = walk;
    return walk.result;
  }

  /** A search for another query: the user has moved on, so a count of the old one is stopped. */
  searched(query: string): void {
    if (this.current && this.current.query !== query.trim()) this.stop('the search changed');
  }

  stopAll(): void {
    this.closed = true;
    this.stop('the library is closing');
  }

  private stop(why: string): void {
    if (this.current) this.current.stop = why;
    this.current = null;
  }

  private async walk(walk: Walk, args: Args): Promise<SearchFacetsResult> {
    let match: string;
    try {
      match = toFtsQuery(args.query);
    } catch (err) {
      throw err instanceof DomainError ? err : new BadInputError(String(err), { field: 'query' });
    }
    // Let the caller's answer to `search` go out first.
    await yieldToEventLoop();
    try {
      const splits = candidateSplits(this.db, args);
      const counter = new MatchWalk(this.db, match, splits, 0, 0);
      let size = this.slices.first;
      for (;;) {
        if (walk.stop) throw new CancelledError(`Counting "${walk.query}" stopped: ${walk.stop}.`);
        const t0 = performance.now();
        if (!counter.step(size)) break;
        const ms = performance.now() - t0;
        // Slices grow while they are quick and shrink when one runs long (a phrase rejecting most candidates).
        if (ms < SLICE_MS / 2) size = Math.min(size * 2, this.slices.max);
        else if (ms > SLICE_MS * 2) size = Math.max(size >> 1, Math.min(256, this.slices.first));
        await yieldToEventLoop();
      }
      const { counts, total } = counter.result();
      return { total, exact: true, facets: facetsOf(splits, counts, Infinity) };
    } catch (err) {
      if (err instanceof DomainError) throw err;
      throw new BadInputError(`searchFacets: ${err instanceof Error ? err.message : String(err)}`, { field: 'query' });
    }
  }
}
