/**
 * One aligned item in full for the compare view's details: the library record (instruction,
 * input, few-shot history) where the runs still point at it, and per run the exact prompt it
 * was sent, its raw output, extracted answer, token counts, latency and truncation record.
 */
import type { CompareItemDetail, CompareItemRun } from '../../shared/compare';
import type { MetricMode } from '../../shared/runs';
import type { Db } from '../db/open';
import { itemKey } from '../items/identity';
import { getRunDetail, loadItemRecords } from '../runs/store';
import { ensureItemScores, loadItemScore } from './itemScores';
import { BadInputError, NotFoundError } from '../errors';
import { answerKind, entityTypeOf } from '../itemRuns/answerKind';

/** `benchmark/task#index` (or `#h:…`) split into where it points. */
function parseKey(key: string): { benchmark: string; task: string; index: number | null } {
  const m = /^([^/]+)\/(.+)#(\d+|h:[0-9a-f]+)$/.exec(key);
  if (!m) throw new BadInputError(`"${key}" is not an item key (benchmark/task#index)`, { field: 'key' });
  return { benchmark: m[1]!, task: m[2]!, index: m[3]!.startsWith('h:') ? null : Number(m[3]) };
}

interface Row {
  ord: number;
  item_id: number | null;
  idx: number | null;
  input: string;
  gold_json: string;
  status: 'pending' | 'done' | 'error';
  prompt_json: string | null;
  rendered_prompt: string | null;
  raw_output: string | null;
  extracted: string | null;
  prompt_tokens: number | null;
  output_tokens: number | null;
  latency_ms: number | null;
  ttft_ms: number | null;
  error: string | null;
  truncated_tokens: number | null;
}

export function getCompareItem(db: Db, args: { runIds: number[]; key: string; mode?: MetricMode }): CompareItemDetail {
  const where = parseKey(args.key);
  const select = db.prepare(
    `SELECT ord, item_id, idx, input, gold_json, status, prompt_json, rendered_prompt, raw_output, extracted, prompt_tokens, output_tokens,
            latency_ms, ttft_ms, error, truncated_tokens
       FROM run_items WHERE run_id = ? AND benchmark = ? AND task = ? AND (idx = ? OR (? IS NULL AND idx IS NULL)) ORDER BY ord`,
  );
  let first: Row | undefined;
  const runs: CompareItemRun[] = args.runIds.map((runId) => {
    const run = getRunDetail(db, runId);
    const mode = args.mode ?? run.metricMode;
    const candidates = select.all(runId, where.benchmark, where.task, where.index, where.index) as Row[];
    const row = candidates.find((c) => itemKey({ benchmark: where.benchmark, task: where.task, index: c.idx, input: c.input }) === args.key);
    if (!row) {
      return {
        runId,
        ord: null,
        status: 'missing',
        renderedPrompt: null,
        promptMessages: null,
        rawOutput: null,
        extracted: null,
        promptTokens: null,
        outputTokens: null,
        latencyMs: null,
        timeToFirstTokenMs: null,
        truncatedTokens: null,
        error: null,
        metrics: {},
      };
    }
    // The item's own facts come from a run that kept them (linked to the library, or with its input).
    if (!first || (first.item_id === null && (row.item_id !== null || (first.input === '' && row.input !== '')))) first = row;
    if (row.status !== 'pending') ensureItemScores(db, runId, mode);
    return {
      runId,
      ord: row.ord,
      status: row.status,
      renderedPrompt: row.rendered_prompt,
      promptMessages: row.prompt_json ? (JSON.parse(row.prompt_json) as unknown) : null,
      rawOutput: row.raw_output,
      extracted: row.extracted,
      promptTokens: row.prompt_tokens,
      outputTokens: row.output_tokens,
      latencyMs: row.latency_ms,
      timeToFirstTokenMs: row.ttft_ms,
      truncatedTokens: row.truncated_tokens,
      error: row.error,
      metrics: loadItemScore(db, runId, mode, row.ord) ?? {},
    };
  });
  if (!first) throw new NotFoundError(`no compared run has item ${args.key}`, { field: 'key' });
  const lib = first.item_id !== null ? loadItemRecords(db, { ids: [first.item_id] })[0] : undefined;
  const kind = answerKind(where.benchmark, where.task);
  return {
    key: args.key,
    benchmark: where.benchmark,
    task: where.task,
    index: first.idx,
    instruction: lib?.instruction ?? null,
    input: first.input,
    gold: JSON.parse(first.gold_json) as string[],
    history: lib?.history ?? [],
    runs,
    answerKind: kind,
    entityType: kind === 'bio' && lib ? entityTypeOf(lib.instruction) : null,
  };
}
