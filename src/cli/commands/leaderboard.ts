/**
 * `medtask leaderboard`: runs × tasks with each task's primary metric and 95% CI — the app's
 * Leaderboard numbers — and, where reviewers annotated outputs, their counts and the scores
 * adjusted by review beside the automatic ones.
 */
import type { Command } from 'commander';
import type { LeaderboardResult } from '../../shared/compare';
import { call, openCore } from '../core';
import { printJson, printTable } from '../output';

const fmt = (v: number, scale: number) => (Number.isFinite(v) ? (scale === 100 ? v.toFixed(1) : v.toFixed(3)) : '–');

const counts = (r: Record<string, number>) =>
  Object.entries(r)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');

/** One line per run × task that reviewers annotated; adjusted and automatic are both item means, labelled as such. */
function printReviews(lb: LeaderboardResult): void {
  const rows = lb.entries.flatMap((e) =>
    lb.columns.flatMap((c) => {
      const r = e.reviews?.[c.key];
      if (!r) return [];
      return [
        {
          run: `${e.runId} ${e.name}`,
          task: c.task,
          annotated: String(r.annotated),
          verdicts: counts(r.verdictCounts),
          harm: counts(r.severityCounts),
          tags: counts(r.tags),
          'automatic (item mean)': r.automatic === null ? '–' : fmt(r.automatic, c.scale),
          'adjusted by review': r.adjusted === null ? '–' : fmt(r.adjusted, c.scale),
        },
      ];
    }),
  );
  if (rows.length === 0) return;
  process.stdout.write('\nreviews (all reviewers and sessions):\n');
  printTable(rows, ['run', 'task', 'annotated', 'verdicts', 'harm', 'tags', 'automatic (item mean)', 'adjusted by review']);
  process.stdout.write(
    "adjusted by review: the mean per-item score with each reviewed output scored by its reviewers' mean verdict (correct 1, partly 0.5, incorrect 0)\n",
  );
}

export function registerLeaderboardCommand(program: Command): void {
  program
    .command('leaderboard')
    .description('every run × task: the primary metric with its 95% bootstrap CI, and MedS-Bench category means')
    .option('--benchmark <name>', 'only this benchmark (e.g. medinst32, meds-bench)')
    .option('--category <name>', 'only this category')
    .option('--resamples <n>', 'bootstrap resamples', (v) => Number(v), 1000)
    .option('--seed <n>', 'resampling seed', (v) => Number(v), 20261207)
    .option('--json', 'print machine-readable results')
    .action(async (opts: { benchmark?: string; category?: string; resamples: number; seed: number; json?: boolean }, cmd: Command) => {
      const core = openCore(cmd);
      try {
        const lb = await call(core, 'leaderboard', {
          ...(opts.benchmark ? { benchmark: opts.benchmark } : {}),
          ...(opts.category ? { category: opts.category } : {}),
          resamples: opts.resamples,
          seed: opts.seed,
        });
        if (opts.json) return printJson(lb);
        if (lb.entries.length === 0) {
          process.stdout.write('no scored runs yet\n');
          return;
        }
        const rows = lb.entries.map((e) => {
          const row: Record<string, string> = { run: `${e.runId} ${e.name}`, config: e.config };
          for (const c of lb.columns) {
            const cell = e.cells[c.key];
            row[c.task] = cell ? `${fmt(cell.estimate, c.scale)} [${fmt(cell.low, c.scale)}, ${fmt(cell.high, c.scale)}]` : '';
          }
          for (const [cat, v] of Object.entries(e.categories)) row[`${cat} (mean)`] = fmt(v.mean, 100);
          return row;
        });
        const cats = [...new Set(lb.entries.flatMap((e) => Object.keys(e.categories)))].map((c) => `${c} (mean)`);
        printTable(rows, ['run', 'config', ...lb.columns.map((c) => c.task), ...cats]);
        process.stdout.write(
          `\n${lb.columns.map((c) => `${c.task}: ${c.displayName}${c.scale === 100 ? ' (%)' : ''}`).join('\n')}\n95% bootstrap CIs, ${lb.resamples} resamples, seed ${lb.seed}\n`,
        );
        printReviews(lb);
      } finally {
        await core.dispose();
      }
    });
}
