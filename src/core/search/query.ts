/**
 * Full-text search over item inputs and gold outputs (contentless FTS5 in search.sqlite)
 * and over the shared instruction texts (in the library).
 *
 * Every split's items hold one contiguous rowid range, so the matching rowids (one pass
 * over the index's doclists, no join) are bucketed into splits by binary search: exact
 * facets and filtered totals at any scale. Results are bm25-ranked up to RANK_LIMIT
 * matches; beyond that they come in library order (ranking half a million matches costs
 * far more than a page, and a query that broad is refined anyway), and the result says so.
 *
 * Counting visits every match, so at 10M items a word in half of them cost 600+ ms. `search`
 * counts at most COUNT_LIMIT matches: past that the total and the counts of splits the
 * cut-off falls in or before are lower bounds, flagged `exact: false`, and `searchFacets`
 * (called by the UI after the hits arrive) counts them all.
 */
import type { CallArgs } from '../../shared/contract';
import type { FacetCount, InstructionMatch, SearchFacetsResult, SearchHit, SearchResult } from '../../shared/domain';
import { HIGHLIGHT_END, HIGHLIGHT_START } from '../../shared/domain';
import type { Db } from '../db/open';
import { parseQuery, snippet, type QueryTerm } from './highlight';
import { recordKey } from './recordKey';
import { MatchWalk, SLICE, type MatchBuckets, type SplitRow } from './matchWalk';
import { BadInputError, DomainError } from '../errors';

/**
 * Queries with more matches than this are listed in library order. bm25 reads each match's
 * size from the index, a random lookup: at 10M items ranking 17,760 matches took 131 ms and
 * 3,601 took ~80 ms (loaded 2-core box), so 20,000 (chosen at 1M items) left no room in 100 ms.
 */
export const RANK_LIMIT = 5_000;
/**
 * Matches `search` counts before handing the rest to `searchFacets`: ~85 ns a match measured
 * at 1M items (43 ms for 510,000), so about 20 ms of a 100 ms budget. Above RANK_LIMIT, so a
 * capped query is one that is listed unranked anyway.
 */
export const COUNT_LIMIT = 250_000;
const INSTRUCTION_MATCH_LIMIT = 20;
const MARK = `'${HIGHLIGHT_START}', '${HIGHLIGHT_END}', '…', 16`;

/**
 * Turns what a person types into a safe FTS5 query: every word or "quoted phrase" becomes a
 * quoted string (so `NCBI-disease` or `p<0.05` cannot be read as FTS syntax), a trailing `*`
 * keeps prefix search, and all terms must match.
 */
export function toFtsQuery(text: string): string {
  const terms = text.match(/"[^"]*"|[^\s"]+/g) ?? [];
  const parts = terms
    .map((t) => {
      const phrase = t.startsWith('"');
      const prefix = !phrase && t.length > 1 && t.endsWith('*');
      const body = (phrase ? t.slice(1, -1) : prefix ? t.slice(0, -1) : t).replace(/"/g, '""').trim();
      return body ? `"${body}"${prefix ? '*' : ''}` : '';
    })
    .filter(Boolean);
  if (parts.length === 0) throw new BadInputError('search: query has no searchable words', { field: 'query' });
  return parts.join(' AND ');
}

export type { SplitRow } from './matchWalk';

type Filters = Pick<CallArgs<'search'>, 'benchmark' | 'category' | 'taskId' | 'split' | 'config' | 'language'>;

export function candidateSplits(db: Db, args: Filters): SplitRow[] {
  const rows = db
    .prepare(
      `SELECT s.id AS splitId, s.min_item_id AS min, s.max_item_id AS max, s.config, s.split,
              t.id AS taskId, t.name AS task, t.category, b.name AS benchmark, t.languages_json AS languages
         FROM splits s JOIN tasks t ON t.id = s.task_id JOIN benchmarks b ON b.id = t.benchmark_id
        WHERE s.min_item_id IS NOT NULL
          AND (@benchmark IS NULL OR b.name = @benchmark)
          AND (@category IS NULL OR t.category = @category)
          AND (@taskId IS NULL OR t.id = @taskId)
          AND (@split IS NULL OR s.split = @split)
          AND (@config IS NULL OR s.config = @config)
        ORDER BY s.min_item_id`,
    )
    .all({
      benchmark: args.benchmark ?? null,
      category: args.category ?? null,
      taskId: args.taskId ?? null,
      split: args.split ?? null,
      config: args.config ?? null,
    }) as SplitRow[];
  if (args.language === undefined) return rows;
  return rows.filter((r) => (r.languages ? (JSON.parse(r.languages) as string[]) : []).includes(args.language!));
}

type Tally = Map<string, { count: number; exact: boolean }>;

/** A value is exact only when every split adding to it was counted whole. */
function tally(map: Tally, key: string | null, n: number, exact: boolean): void {
  if (key === null || (n === 0 && exact)) return;
  const t = map.get(key);
  if (t) {
    t.count += n;
    t.exact &&= exact;
  } else map.set(key, { count: n, exact });
}

function sorted(map: Tally): FacetCount[] {
  return [...map].map(([value, t]) => ({ value, count: t.count, exact: t.exact })).sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
}

/** Facet counts from per-split counts; `exactUpTo`: splits ending at or before this rowid were counted whole. */
export function facetsOf(splits: SplitRow[], counts: number[], exactUpTo: number): SearchResult['facets'] {
  const facets = { benchmark: new Map(), category: new Map(), task: new Map(), split: new Map(), config: new Map(), language: new Map() } as Record<
    keyof SearchResult['facets'],
    Tally
  >;
  splits.forEach((s, k) => {
    const n = counts[k]!;
    const exact = s.max <= exactUpTo;
    tally(facets.benchmark, s.benchmark, n, exact);
    tally(facets.category, s.category, n, exact);
    tally(facets.task, `${s.benchmark}/${s.task}`, n, exact);
    tally(facets.split, s.split, n, exact);
    tally(facets.config, s.config, n, exact);
    for (const lang of s.languages ? (JSON.parse(s.languages) as string[]) : []) tally(facets.language, lang, n, exact);
  });
  return {
    benchmark: sorted(facets.benchmark),
    category: sorted(facets.category),
    task: sorted(facets.task),
    split: sorted(facets.split),
    config: sorted(facets.config),
    language: sorted(facets.language),
  };
}

function instructionMatches(db: Db, match: string, allowed: Set<number>): InstructionMatch[] {
  const rows = db
    .prepare(
      `SELECT f.rowid AS instructionId, snippet(instructions_fts, 0, ${MARK}) AS snippet
         FROM main.instructions_fts f WHERE instructions_fts MATCH @match ORDER BY rank LIMIT ${INSTRUCTION_MATCH_LIMIT * 5}`,
    )
    .all({ match }) as { instructionId: number; snippet: string }[];
  const tasksOf = db.prepare(
    `SELECT si.split_id AS splitId, t.id AS taskId, t.name AS task, b.name AS benchmark, si.item_count AS itemCount
       FROM split_instructions si JOIN splits s ON s.id = si.split_id JOIN tasks t ON t.id = s.task_id JOIN benchmarks b ON b.id = t.benchmark_id
      WHERE si.instruction_id = ? ORDER BY b.name, t.name`,
  );
  const out: InstructionMatch[] = [];
  for (const r of rows) {
    const byTask = new Map<number, InstructionMatch['tasks'][number]>();
    for (const s of tasksOf.all(r.instructionId) as { splitId: number; taskId: number; task: string; benchmark: string; itemCount: number }[]) {
      if (!allowed.has(s.splitId)) continue;
      const t = byTask.get(s.taskId);
      if (t) t.itemCount += s.itemCount;
      else byTask.set(s.taskId, { taskId: s.taskId, task: s.task, benchmark: s.benchmark, itemCount: s.itemCount });
    }
    if (byTask.size) out.push({ ...r, tasks: [...byTask.values()] });
    if (out.length >= INSTRUCTION_MATCH_LIMIT) break;
  }
  return out;
}

/** Index of the split whose rowid range holds `id`, or -1 (ranges sorted, disjoint). */
function splitOf(ranges: SplitRow[], id: number): number {
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const r = ranges[mid]!;
    if (id < r.min) hi = mid - 1;
    else if (id > r.max) lo = mid + 1;
    else return mid;
  }
  return -1;
}

/**
 * How long `search` keeps counting once its page is found. A word's rowids cost ~85 ns each (below),
 * but a phrase or an AND of common words pays for every candidate it rejects: `"the of"` at 10M items
 * matches 230,000 items yet walks the ~4.6M that hold both words, far past 100 ms. So counting goes
 * in slices and stops, once the page is in hand, when this budget is spent; the rest is left to
 * `searchFacets`, as past COUNT_LIMIT.
 */
export const COUNT_BUDGET_MS = 40;

/**
 * Counts a query's matches per split in one pass over its rowids (a MatchWalk), stopping at
 * `countLimit` matches or, once the page is full and more than `budgetAfter` matches are
 * counted, when `budgetMs` has passed.
 */
export function matchBuckets(
  db: Db,
  match: string,
  splits: SplitRow[],
  offset: number,
  limit: number,
  countLimit = Infinity,
  budgetMs = Infinity,
  sliceSize = SLICE,
  budgetAfter = 0,
): MatchBuckets {
  const started = performance.now();
  const walk = new MatchWalk(db, match, splits, offset, limit, countLimit);
  // The first slice reaches just past `budgetAfter`, where the clock may first stop the walk.
  let want = budgetMs !== Infinity ? Math.min(budgetAfter + 1, sliceSize) : sliceSize;
  while (walk.step(want)) {
    want = sliceSize;
    if (walk.pageFull && walk.all > budgetAfter && performance.now() - started > budgetMs) return walk.result(false);
  }
  return walk.result();
}

function loadHits(db: Db, ids: number[], bySplit: Map<number, SplitRow>, terms: QueryTerm[]): SearchHit[] {
  if (ids.length === 0) return [];
  const rows = db.prepare(`SELECT id, split_id AS splitId, idx, input, output FROM items WHERE id IN (${ids.map(() => '?').join(',')})`).all(...ids) as {
    id: number;
    splitId: number;
    idx: number;
    input: string;
    output: string;
  }[];
  const byId = new Map(rows.map((r) => [r.id, r]));
  const hits: SearchHit[] = [];
  const byRecord = new Map<string, SearchHit>();
  for (const id of ids) {
    const r = byId.get(id);
    const s = r && bySplit.get(r.splitId);
    if (!r || !s) continue;
    const key = recordKey(r.input);
    const copy = { itemId: r.id, taskId: s.taskId, task: s.task, benchmark: s.benchmark, config: s.config, split: s.split, index: r.idx };
    const first = byRecord.get(key);
    if (first) {
      first.copies.push(copy);
      continue;
    }
    const inInput = snippet(r.input, terms);
    const inOutput = inInput === null ? snippet(r.output, terms) : null;
    const hit: SearchHit = {
      itemId: r.id,
      taskId: s.taskId,
      task: s.task,
      benchmark: s.benchmark,
      category: s.category,
      config: s.config,
      split: s.split,
      index: r.idx,
      field: inInput === null && inOutput !== null ? 'output' : 'input',
      snippet: inInput ?? inOutput ?? r.input.slice(0, 200),
      recordKey: key,
      copies: [copy],
    };
    byRecord.set(key, hit);
    hits.push(hit);
  }
  return hits;
}

/** `rankLimit`, `countLimit`, `budgetMs` and `sliceSize` are for tests: past the defaults only a large library goes. */
export function search(
  db: Db,
  args: CallArgs<'search'>,
  rankLimit = RANK_LIMIT,
  countLimit = COUNT_LIMIT,
  budgetMs = COUNT_BUDGET_MS,
  sliceSize = SLICE,
): SearchResult {
  const t0 = performance.now();
  const match = toFtsQuery(args.query);
  const terms = parseQuery(args.query);
  const filtered =
    args.benchmark !== undefined ||
    args.category !== undefined ||
    args.taskId !== undefined ||
    args.split !== undefined ||
    args.config !== undefined ||
    args.language !== undefined;
  try {
    const splits = candidateSplits(db, args);
    // Counting never stops before it knows whether the query is ranked: the same query is ranked (or not) however busy the machine.
    let buckets = matchBuckets(db, match, splits, args.offset, args.limit, countLimit, budgetMs, sliceSize, rankLimit);
    // A page that lies past the cut-off (a deep offset, a filter on the library's end) needs the whole walk.
    if (!buckets.complete && buckets.page.length < args.limit) buckets = matchBuckets(db, match, splits, args.offset, args.limit);
    const { all, counts, total, page, complete, last } = buckets;

    // Ranking costs a bm25 evaluation per match of the unfiltered query.
    // A capped count (only ever above RANK_LIMIT outside tests) means too many matches to rank.
    const ranked = complete && all <= rankLimit;
    let ids: number[];
    if (total === 0) ids = [];
    else if (ranked) {
      const order = db.prepare('SELECT rowid FROM search.items_fts WHERE items_fts MATCH ? ORDER BY rank').pluck().all(match) as number[];
      ids = (filtered ? order.filter((id) => splitOf(splits, id) >= 0) : order).slice(args.offset, args.offset + args.limit);
    } else ids = page;
    const bySplit = new Map(splits.map((s) => [s.splitId, s]));
    return {
      hits: loadHits(db, ids, bySplit, terms),
      total,
      exact: complete,
      ranked,
      instructionMatches: args.offset === 0 ? instructionMatches(db, match, new Set(splits.map((s) => s.splitId))) : [],
      facets: facetsOf(splits, counts, last),
      tookMs: Math.round((performance.now() - t0) * 100) / 100,
    };
  } catch (err) {
    if (err instanceof DomainError) throw err;
    throw new BadInputError(`search: ${err instanceof Error ? err.message : String(err)}`, { field: 'query' });
  }
}

/**
 * Every match counted on the calling thread, through the same walk as `search`. The engine answers
 * `searchFacets` from its counting thread (backgroundCounts.ts); this is the reference that thread is tested against.
 */
export function searchFacets(db: Db, args: CallArgs<'searchFacets'>): SearchFacetsResult {
  const match = toFtsQuery(args.query);
  try {
    const splits = candidateSplits(db, args);
    const { counts, total } = matchBuckets(db, match, splits, 0, 0);
    return { total, exact: true, facets: facetsOf(splits, counts, Infinity) };
  } catch (err) {
    if (err instanceof DomainError) throw err;
    throw new BadInputError(`searchFacets: ${err instanceof Error ? err.message : String(err)}`, { field: 'query' });
  }
}
