/**
 * The compare call's rows: one compact row per aligned item (input and gold from the first
 * run, each run's extracted answer and per-item metric values), small enough to send
 * 10,000 items × 8 runs at once so the view filters and sorts without asking again; with a
 * `limit`, only the first rows (the view draws them while the whole set follows).
 * Raw outputs and prompts come one item at a time through getCompareItem.
 */
import type { CompareGroup, CompareResult, CompareRow } from '../../shared/compare';
import type { Db } from '../db/open';
import { alignRuns, runReads, type AlignOptions } from './align';

export const PREVIEW_CHARS = 400;
/** A row shows three lines of the input; the whole of it is one getCompareItem away. Inputs are most of the payload. */
export const INPUT_PREVIEW_CHARS = 240;

const preview = (s: string, n = PREVIEW_CHARS) => (s.length > n ? s.slice(0, n) : s);

export function searchWords(text: string | undefined): string[] {
  return (text ?? '')
    .toLowerCase()
    .split(/\s+/)
    .filter((w) => w.length > 0);
}

export function compareRuns(db: Db, opts: AlignOptions & { search?: string; limit?: number }): CompareResult {
  const al = alignRuns(db, opts);
  const words = searchWords(opts.search);
  // A first page (a limit, no search) reads its rows' texts, answers and values one by one; the
  // whole comparison reads each run's at once.
  const many = opts.limit === undefined || words.length > 0;
  const reads = al.runs.map((_, r) => runReads(db, al, r, many));
  // Input and gold come from the first run that stored the input (imported predictions may not have).
  const textSelect = db.prepare('SELECT ord, input, gold_json AS gold FROM run_items WHERE run_id = ?');
  const oneText = db.prepare('SELECT input, gold_json AS gold FROM run_items WHERE run_id = ? AND ord = ?');
  const texts: Map<number, { input: string; gold: string }>[] = [];
  const textOf = (r: number, ord: number) =>
    many
      ? (texts[r] ??= new Map((textSelect.all(al.runs[r]!.id) as { ord: number; input: string; gold: string }[]).map((t) => [t.ord, t]))).get(ord)
      : (oneText.get(al.runs[r]!.id, ord) as { input: string; gold: string } | undefined);
  const itemText = (g: (typeof al.groups)[number], i: number) => {
    let found: { input: string; gold: string } | undefined;
    for (let r = 0; r < al.runs.length; r++) {
      const t = textOf(r, g.ords[r]![i]!);
      found ??= t;
      if (t && t.input !== '') return t;
    }
    return found!;
  };
  // Raw outputs are read only to search them.
  const outputs = words.length
    ? al.runs.map(
        (run) =>
          new Map(
            (db.prepare('SELECT ord, raw_output AS o FROM run_items WHERE run_id = ?').all(run.id) as { ord: number; o: string | null }[]).map((x) => [
              x.ord,
              x.o ?? '',
            ]),
          ),
      )
    : [];

  const groups: CompareGroup[] = al.groups.map((g) => ({
    key: g.key,
    benchmark: g.benchmark,
    task: g.task,
    category: g.category,
    metrics: g.metrics,
    primary: g.primary,
    common: g.keys.length,
    missing: g.missing,
  }));
  const rows: CompareRow[] = [];
  const limit = opts.limit ?? Infinity;
  // Without a search every common item is a row, so a limited call stops building at the limit.
  let totalRows = words.length ? 0 : al.groups.reduce((n, g) => n + g.keys.length, 0);
  al.groups.forEach((g, gi) => {
    const metricIds = g.metrics.map((m) => m.id);
    g.keys.forEach((key, i) => {
      if (!words.length && rows.length >= limit) return;
      const text = itemText(g, i);
      const golds = JSON.parse(text.gold) as string[];
      const facts = al.items.map((m) => m.get(key)!);
      const answers = facts.map((f, r) => reads[r]!.answer(f.ord));
      if (words.length) {
        const hay = [text.input, ...golds, ...answers.map((a) => a ?? ''), ...outputs.map((o, r) => o.get(g.ords[r]![i]!) ?? '')].join('\n').toLowerCase();
        if (!words.every((w) => hay.includes(w))) return;
        totalRows++;
        if (rows.length >= limit) return;
      }
      const gold = golds[0] ?? '';
      rows.push({
        key,
        group: gi,
        index: g.indexes[i]!,
        input: preview(text.input, INPUT_PREVIEW_CHARS),
        inputLength: text.input.length,
        gold: preview(gold),
        goldLength: gold.length,
        goldCount: golds.length,
        answers: answers.map((a) => (a === null ? null : preview(a))),
        answerLengths: answers.map((a) => a?.length ?? 0),
        errors: facts.map((f) => f.status === 'error'),
        values: al.runs.map((_, r) => {
          const s = reads[r]!.scores(g.ords[r]![i]!);
          return metricIds.map((id) => s?.[id] ?? null);
        }),
      });
    });
  });
  const missingPerRun = al.runs.map((_, r) => al.groups.reduce((n, g) => n + g.missing[r]!, 0));
  return {
    runs: al.runs.map((run, r) => ({
      id: run.id,
      name: run.name,
      modelLabel: run.modelLabel,
      kind: run.kind,
      status: run.status,
      items: al.items[r]!.size,
      missing: missingPerRun[r]!,
    })),
    baseline: al.baseline,
    mode: al.mode,
    groups,
    rows,
    totalRows,
    search: words.length ? (opts.search ?? null) : null,
  };
}
