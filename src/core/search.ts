/**
 * Full-text search over every item (FTS5, bm25 ranking) with facet counts computed from
 * the same match set in one grouped query.
 */
import type { CallArgs } from '../shared/contract';
import { HIGHLIGHT_END, HIGHLIGHT_START, type FacetCount, type SearchHit, type SearchResult } from '../shared/domain';
import { ApiError } from '../shared/errors';
import type { Db } from './db/open';

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
  if (parts.length === 0) throw new ApiError('invalid_input', 'search: query has no searchable words', { field: 'query' });
  return parts.join(' AND ');
}

interface HitRow {
  itemId: number;
  taskId: number;
  task: string;
  benchmark: string;
  category: string | null;
  config: SearchHit['config'];
  split: SearchHit['split'];
  idx: number;
  s0: string;
  s1: string;
  s2: string;
}

function bestSnippet(row: HitRow): Pick<SearchHit, 'field' | 'snippet'> {
  const fields = [
    ['input', row.s1],
    ['output', row.s2],
    ['instruction', row.s0],
  ] as const;
  for (const [field, snippet] of fields) if (snippet.includes(HIGHLIGHT_START)) return { field, snippet };
  return { field: 'input', snippet: row.s1 };
}

function tally(map: Map<string, number>, key: string | null, n: number): void {
  if (key === null) return;
  map.set(key, (map.get(key) ?? 0) + n);
}

function sorted(map: Map<string, number>): FacetCount[] {
  return [...map].map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
}

export function search(db: Db, args: CallArgs<'search'>): SearchResult {
  const t0 = performance.now();
  const match = toFtsQuery(args.query);
  const filters: string[] = [];
  const params: Record<string, unknown> = { match };
  if (args.benchmark !== undefined) {
    filters.push('b.name = @benchmark');
    params.benchmark = args.benchmark;
  }
  if (args.category !== undefined) {
    filters.push('t.category = @category');
    params.category = args.category;
  }
  if (args.taskId !== undefined) {
    filters.push('t.id = @taskId');
    params.taskId = args.taskId;
  }
  if (args.split !== undefined) {
    filters.push('s.split = @split');
    params.split = args.split;
  }
  if (args.language !== undefined) {
    filters.push('EXISTS (SELECT 1 FROM json_each(t.languages_json) WHERE value = @language)');
    params.language = args.language;
  }
  const where = filters.length ? `AND ${filters.join(' AND ')}` : '';
  const from = `FROM items_fts f
      JOIN items i ON i.id = f.rowid
      JOIN splits s ON s.id = i.split_id
      JOIN tasks t ON t.id = s.task_id
      JOIN benchmarks b ON b.id = t.benchmark_id
     WHERE items_fts MATCH @match ${where}`;
  const mark = `'${HIGHLIGHT_START}', '${HIGHLIGHT_END}', '…', 16`;
  let rows: HitRow[];
  let groups: { benchmark: string; category: string | null; task: string; split: string; languages: string | null; n: number }[];
  try {
    rows = db
      .prepare(
        `SELECT i.id AS itemId, t.id AS taskId, t.name AS task, b.name AS benchmark, t.category, s.config, s.split, i.idx,
                snippet(items_fts, 0, ${mark}) AS s0, snippet(items_fts, 1, ${mark}) AS s1, snippet(items_fts, 2, ${mark}) AS s2
           ${from} ORDER BY rank LIMIT @limit OFFSET @offset`,
      )
      .all({ ...params, limit: args.limit, offset: args.offset }) as HitRow[];
    groups = db
      .prepare(
        `SELECT b.name AS benchmark, t.category, t.name AS task, s.split, t.languages_json AS languages, COUNT(*) AS n
           ${from} GROUP BY s.id`,
      )
      .all(params) as typeof groups;
  } catch (err) {
    throw new ApiError('invalid_input', `search: ${err instanceof Error ? err.message : String(err)}`, { field: 'query' });
  }
  const facets = { benchmark: new Map<string, number>(), category: new Map<string, number>(), task: new Map<string, number>(), split: new Map<string, number>(), language: new Map<string, number>() };
  let total = 0;
  for (const g of groups) {
    total += g.n;
    tally(facets.benchmark, g.benchmark, g.n);
    tally(facets.category, g.category, g.n);
    tally(facets.task, `${g.benchmark}/${g.task}`, g.n);
    tally(facets.split, g.split, g.n);
    for (const lang of g.languages ? (JSON.parse(g.languages) as string[]) : []) tally(facets.language, lang, g.n);
  }
  return {
    hits: rows.map((r) => ({
      itemId: r.itemId,
      taskId: r.taskId,
      task: r.task,
      benchmark: r.benchmark,
      category: r.category,
      config: r.config,
      split: r.split,
      index: r.idx,
      ...bestSnippet(r),
    })),
    total,
    facets: {
      benchmark: sorted(facets.benchmark),
      category: sorted(facets.category),
      task: sorted(facets.task),
      split: sorted(facets.split),
      language: sorted(facets.language),
    },
    tookMs: Math.round((performance.now() - t0) * 100) / 100,
  };
}
