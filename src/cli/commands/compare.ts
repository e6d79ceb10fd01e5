/**
 * `medtask compare RUN RUN…`: the compare workbench from a terminal — the same calls, filters
 * and statistics as the app's Compare view, so the numbers match to the last digit.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import {
  filterFromWord,
  filterRows,
  rowDelta,
  sortRows,
  AGREEMENT_STATES,
  OUTCOME_STATES,
  type CompareResult,
  type CompareStatsResult,
} from '../../shared/compare';
import { reviewFilterActive, type ReviewFilter } from '../../shared/compareReviews';
import { call, openCore } from '../core';
import { CliError, printJson, printTable } from '../output';
import { METRIC_MODES, SEVERITIES, VERDICTS, type Severity, type Verdict } from '../../shared/enums';

interface CompareOpts {
  task?: string;
  filter?: string;
  baseline?: number;
  threshold: number;
  search?: string;
  sort: 'order' | 'delta' | 'input-length';
  limit: number;
  resamples: number;
  seed: number;
  mode?: 'reference' | 'corrected';
  reviewTag?: string;
  reviewRun?: number;
  verdict?: Verdict;
  severityAtLeast?: Severity;
  json?: boolean;
}

function runId(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`expected a run id (a positive integer), got "${value}"`);
  return n;
}

function num(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n)) throw new InvalidArgumentError(`expected a number, got "${value}"`);
  return n;
}

const fmt = (v: number | null | undefined, scale: number) =>
  v === null || v === undefined || !Number.isFinite(v) ? '–' : scale === 100 ? v.toFixed(1) : v.toFixed(3);
const clip = (s: string | null, n = 40) => (s === null ? '(error)' : s.replace(/\s+/g, ' ').slice(0, n) + (s.length > n ? '…' : ''));

type ReviewOpts = Pick<CompareOpts, 'reviewTag' | 'reviewRun' | 'verdict' | 'severityAtLeast'>;

/**
 * The review flags as the shared review filter (the Compare view's), or undefined when none is
 * given. A tag the taxonomy lacks, or a --review-run that is not compared, is refused by name
 * here: the shared filter would quietly leave no rows.
 */
export function reviewFilterFrom(res: Pick<CompareResult, 'runs' | 'reviews'>, opts: ReviewOpts): ReviewFilter | undefined {
  const f: ReviewFilter = { tag: opts.reviewTag?.trim() || null, verdict: opts.verdict ?? null, minSeverity: opts.severityAtLeast ?? null, run: null };
  if (opts.reviewTag !== undefined && f.tag === null) throw new CliError('--review-tag: give a tag name');
  if (opts.reviewRun !== undefined) {
    const i = res.runs.findIndex((r) => r.id === opts.reviewRun);
    if (i < 0) throw new CliError(`--review-run ${opts.reviewRun}: not one of the compared runs (${res.runs.map((r) => r.id).join(', ')})`);
    f.run = i;
  }
  if (!reviewFilterActive(f)) {
    if (opts.reviewRun !== undefined) throw new CliError('--review-run: give it with --review-tag, --verdict or --severity-at-least');
    return undefined;
  }
  const tags = res.reviews?.tags ?? [];
  if (f.tag !== null && !tags.some((t) => t.toLowerCase() === f.tag!.toLowerCase()))
    throw new CliError(`--review-tag: no tag named "${f.tag}"; tags: ${tags.length ? tags.join(', ') : '(none)'}`);
  return f;
}

/** The rows a filter word, the review flags and sort leave, in order (indexes into res.rows). */
export function selectRows(
  res: CompareResult,
  opts: Pick<CompareOpts, 'filter' | 'threshold' | 'sort'> & ReviewOpts,
): { order: number[]; counts: ReturnType<typeof filterRows>['counts'] } {
  const f = filterFromWord(opts.filter ?? 'any', res.runs.length, res.baseline);
  f.threshold = opts.threshold;
  const review = reviewFilterFrom(res, opts);
  if (review) f.review = review;
  const { indexes, counts } = filterRows(res, f);
  const other = res.baseline === 0 ? 1 : 0;
  const order = sortRows(
    res,
    indexes,
    opts.sort === 'delta'
      ? { by: 'delta', run: other, desc: true }
      : opts.sort === 'input-length'
        ? { by: 'inputLength', run: 0, desc: true }
        : { by: 'order', run: 0, desc: false },
  );
  return { order, counts };
}

function printStats(res: CompareResult, stats: CompareStatsResult): void {
  for (const g of stats.groups) {
    const group = res.groups.find((x) => x.key === g.key)!;
    process.stdout.write(
      `\n${g.key} — ${group.common} common items${group.missing.some((m) => m > 0) ? ` (missing: ${res.runs.map((r, i) => `${r.name} ${group.missing[i]}`).join(', ')})` : ''}\n`,
    );
    const rows = res.runs.map((r, i) => {
      const row: Record<string, string> = { run: `${i + 1} ${r.name}${i === stats.baseline ? ' (baseline)' : ''}` };
      g.perRun[i]!.forEach((m, mi) => {
        const s = group.metrics[mi]!.scale;
        row[m.metric] = `${fmt(m.estimate, s)} [${fmt(m.low, s)}, ${fmt(m.high, s)}]`;
      });
      return row;
    });
    printTable(rows, ['run', ...group.metrics.map((m) => m.id)]);
    const primary = group.metrics[group.primary]!.id;
    for (const p of g.pairs) if (p.metric === primary) process.stdout.write(`  ${p.sentence}\n`);
  }
}

export function registerCompareCommand(program: Command): void {
  program
    .command('compare')
    .description('compare 2–8 runs item by item: aligned rows, per-item metrics, deltas, CIs and paired tests')
    .argument('<runs...>', 'run ids (the first is the baseline unless --baseline)', (v: string, prev: number[] = []) => [...prev, runId(v)])
    .option('--task <task>', 'only this task (name or benchmark/task)')
    .addOption(
      new Option('--filter <state>', 'only rows where outputs differ/agree, or by right/wrong (A = the first non-baseline run, B = the baseline)').choices(
        [...AGREEMENT_STATES, ...OUTCOME_STATES].filter((w) => w !== 'any'),
      ),
    )
    .option('--baseline <run>', 'the run deltas are measured against', runId)
    .option('--threshold <fraction>', 'right = primary metric ≥ this fraction of its scale', num, 0.5)
    .option('--search <text>', 'full-text search over inputs, gold and outputs (every word must occur)')
    .addOption(new Option('--sort <by>', 'row order').choices(['order', 'delta', 'input-length']).default('order'))
    .option('--limit <n>', 'rows to print (text output; --json prints all)', (v) => Math.max(0, Math.floor(num(v))), 50)
    .option('--resamples <n>', 'bootstrap resamples', (v) => Math.floor(num(v)), 1000)
    .option('--seed <n>', 'resampling seed', (v) => Math.floor(num(v)), 20261207)
    .addOption(new Option('--mode <mode>', 'metric mode (default: the baseline run’s)').choices([...METRIC_MODES]))
    .option('--review-tag <name>', 'only rows where a reviewer gave this tag (name, any case) to an output or the item')
    .option('--review-run <run>', 'with the review flags: only that run’s outputs count (a compared run id)', runId)
    .addOption(new Option('--verdict <verdict>', 'only rows where a reviewer gave this verdict').choices([...VERDICTS]))
    .addOption(new Option('--severity-at-least <level>', 'only rows where a reviewer’s harm severity is at least this').choices([...SEVERITIES]))
    .option('--json', 'print machine-readable results')
    .action(async (runIds: number[], opts: CompareOpts, cmd: Command) => {
      const core = openCore(cmd);
      try {
        const common = {
          runIds,
          ...(opts.baseline ? { baselineRunId: opts.baseline } : {}),
          ...(opts.mode ? { mode: opts.mode } : {}),
          ...(opts.task ? { task: opts.task } : {}),
        };
        const res = await call(core, 'compareRuns', { ...common, ...(opts.search ? { search: opts.search } : {}) });
        const stats = await call(core, 'compareStats', { ...common, resamples: opts.resamples, seed: opts.seed });
        const { order, counts } = selectRows(res, opts);
        const rowOut = (i: number) => {
          const row = res.rows[i]!;
          const g = res.groups[row.group]!;
          return {
            key: row.key,
            task: g.key,
            gold: row.gold,
            runs: res.runs.map((r, ri) => ({
              runId: r.id,
              answer: row.answers[ri],
              error: row.errors[ri],
              metrics: Object.fromEntries(g.metrics.map((m, mi) => [m.id, row.values[ri]![mi]])),
              delta: ri === res.baseline ? null : rowDelta(res, row, ri, res.baseline),
            })),
          };
        };
        if (opts.json) {
          printJson({ runs: res.runs, baseline: res.baseline, mode: res.mode, groups: res.groups, counts, rows: order.map(rowOut), stats });
          return;
        }
        process.stdout.write(
          `${res.runs.map((r, i) => `${i + 1}: run ${r.id} ${r.name} (${r.modelLabel})${i === res.baseline ? ' — baseline' : ''}`).join('\n')}\n`,
        );
        printStats(res, stats);
        const reviewWords = [
          opts.reviewTag && `tag ${opts.reviewTag}`,
          opts.verdict && `verdict ${opts.verdict}`,
          opts.severityAtLeast && `severity ≥ ${opts.severityAtLeast}`,
          opts.reviewRun && `on run ${opts.reviewRun}`,
        ].filter(Boolean);
        process.stdout.write(
          `\n${counts.shown} of ${counts.total} rows${opts.filter ? ` (${opts.filter})` : ''}${reviewWords.length ? ` (reviewed: ${reviewWords.join(', ')})` : ''}; differ ${counts.agreement.differ}, agree ${counts.agreement.agree}; all right ${counts.outcome['all-right']}, all wrong ${counts.outcome['all-wrong']}\n`,
        );
        const shown = order.slice(0, opts.limit).map((i) => {
          const row = res.rows[i]!;
          const g = res.groups[row.group]!;
          const out: Record<string, string> = { item: row.key, gold: clip(row.gold) };
          res.runs.forEach((_, ri) => {
            out[`run${ri + 1}`] = `${clip(row.answers[ri] ?? null, 30)} ${fmt(row.values[ri]![g.primary], g.metrics[g.primary]!.scale)}`;
            if (ri !== res.baseline) out[`Δ${ri + 1}`] = fmt(rowDelta(res, row, ri, res.baseline), g.metrics[g.primary]!.scale);
          });
          return out;
        });
        const cols = ['item', 'gold', ...res.runs.flatMap((_, ri) => (ri === res.baseline ? [`run${ri + 1}`] : [`run${ri + 1}`, `Δ${ri + 1}`]))];
        printTable(shown, cols);
        if (order.length > opts.limit) process.stdout.write(`… ${order.length - opts.limit} more rows (--limit N, or --json for all)\n`);
      } finally {
        await core.dispose();
      }
    });
}
