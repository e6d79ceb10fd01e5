/**
 * Full-text search (FTS5, bm25 ranking) over item inputs and gold outputs, with facet
 * counts from the same match set in one grouped query; and over the shared instruction
 * texts, reported once per instruction with the tasks that use it.
 */
import type { CallArgs } from '../shared/contract';
import { HIGHLIGHT_END, HIGHLIGHT_START, type FacetCount, type InstructionMatch, type SearchHit, type SearchResult } from '../shared/domain';
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

const MARK = `'${HIGHLIGHT_START}', '${HIGHLIGHT_END}', '…', 16`;
const INSTRUCTION_MATCH_LIMIT = 20;

interface HitRow {
  itemId: number;
  taskId: number;
  task: string;
  benchmark: string;
  category: string | null;
  config: SearchHit['config'];
  split: SearchHit['split'];
  idx: number;
  sInput: string;
  sOutput: string;
}

function tally(map: Map<string, number>, key: string | null, n: number): void {
  if (key === null) return;
  map.set(key, (map.get(key) ?? 0) + n);
}

function sorted(map: Map<string, number>): FacetCount[] {
  return [...map].map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
}

function filterClause(args: CallArgs<'search'>): { sql: string; params: Record<string, unknown> } {
  const filters: string[] = [];
  const params: Record<string, unknown> = {};
  const add = (sql: string, key: string, value: unknown) => {
    if (value === undefined) return;
    filters.push(sql);
    params[key] = value;
  };
  add('b.name = @benchmark', 'benchmark', args.benchmark);
  add('t.category = @category', 'category', args.category);
  add('t.id = @taskId', 'taskId', args.taskId);
  add('s.split = @split', 'split', args.split);
  add('EXISTS (SELECT 1 FROM json_each(t.languages_json) WHERE value = @language)', 'language', args.language);
  return { sql: filters.length ? `AND ${filters.join(' AND ')}` : '', params };
}

function instructionMatches(db: Db, match: string, filter: ReturnType<typeof filterClause>): InstructionMatch[] {
  const rows = db
    .prepare(
      `SELECT f.rowid AS instructionId, snippet(instructions_fts, 0, ${MARK}) AS snippet
         FROM instructions_fts f WHERE instructions_fts MATCH @match ORDER BY rank LIMIT ${INSTRUCTION_MATCH_LIMIT * 5}`,
    )
    .all({ match }) as { instructionId: number; snippet: string }[];
  const tasksOf = db.prepare(
    `SELECT t.id AS taskId, t.name AS task, b.name AS benchmark, SUM(si.item_count) AS itemCount
       FROM split_instructions si JOIN splits s ON s.id = si.split_id JOIN tasks t ON t.id = s.task_id JOIN benchmarks b ON b.id = t.benchmark_id
      WHERE si.instruction_id = @instructionId ${filter.sql}
      GROUP BY t.id ORDER BY b.name, t.name`,
  );
  const out: InstructionMatch[] = [];
  for (const r of rows) {
    const tasks = tasksOf.all({ ...filter.params, instructionId: r.instructionId }) as InstructionMatch['tasks'];
    if (tasks.length) out.push({ ...r, tasks });
    if (out.length >= INSTRUCTION_MATCH_LIMIT) break;
  }
  return out;
}

export function search(db: Db, args: CallArgs<'search'>): SearchResult {
  const t0 = performance.now();
  const match = toFtsQuery(args.query);
  const filter = filterClause(args);
  const params = { ...filter.params, match };
  const from = `FROM items_fts f
      JOIN items i ON i.id = f.rowid
      JOIN splits s ON s.id = i.split_id
      JOIN tasks t ON t.id = s.task_id
      JOIN benchmarks b ON b.id = t.benchmark_id
     WHERE items_fts MATCH @match ${filter.sql}`;
  let rows: HitRow[];
  let groups: { benchmark: string; category: string | null; task: string; split: string; languages: string | null; n: number }[];
  let instructions: InstructionMatch[];
  try {
    rows = db
      .prepare(
        `SELECT i.id AS itemId, t.id AS taskId, t.name AS task, b.name AS benchmark, t.category, s.config, s.split, i.idx,
                snippet(items_fts, 0, ${MARK}) AS sInput, snippet(items_fts, 1, ${MARK}) AS sOutput
           ${from} ORDER BY rank LIMIT @limit OFFSET @offset`,
      )
      .all({ ...params, limit: args.limit, offset: args.offset }) as HitRow[];
    groups = db
      .prepare(`SELECT b.name AS benchmark, t.category, t.name AS task, s.split, t.languages_json AS languages, COUNT(*) AS n ${from} GROUP BY s.id`)
      .all(params) as typeof groups;
    instructions = args.offset === 0 ? instructionMatches(db, match, filter) : [];
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
    hits: rows.map((r) => {
      const inOutput = !r.sInput.includes(HIGHLIGHT_START) && r.sOutput.includes(HIGHLIGHT_START);
      return {
        itemId: r.itemId,
        taskId: r.taskId,
        task: r.task,
        benchmark: r.benchmark,
        category: r.category,
        config: r.config,
        split: r.split,
        index: r.idx,
        field: inOutput ? 'output' : 'input',
        snippet: inOutput ? r.sOutput : r.sInput,
      };
    }),
    total,
    instructionMatches: instructions,
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
