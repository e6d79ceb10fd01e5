/**
 * The Compare view in Chromium against the real web host and core: two model configurations
 * (two generated tiny GGUFs) run on 20 real PubMedQA items through the CLI, a predictions file
 * imported as a third run; then Compare — disagreements, a diff, the CI and paired difference
 * checked against the core's own numbers (`medtask compare --json`), sort by delta, a
 * keyboard-only pass, screenshots and axe-core.
 */
import { expectNoSeriousAxeViolations } from './axe';
import { expect, test, type Page } from '@playwright/test';
import { medtask, type Served } from './fixtures';
import { setupRuns, type RunWorkspace } from './runSetup';

const ITEMS = 20;

interface CliCompare {
  runs: { id: number; name: string }[];
  groups: { key: string; common: number; missing: number[] }[];
  counts: { agreement: { differ: number; agree: number }; shown: number; total: number };
  rows: { key: string; runs: { delta: number | null }[] }[];
  stats: {
    groups: {
      key: string;
      perRun: { metric: string; estimate: number; low: number; high: number }[][];
      pairs: { run: number; metric: string; diff: { estimate: number; low: number; high: number }; p: number; sentence: string }[];
    }[];
  };
}

let ws: RunWorkspace;
let served: Served;
let home: string;
let runIds: number[] = [];

test.setTimeout(300_000);

test.beforeAll(async () => {
  test.setTimeout(600_000);
  // Two model configurations (different weights and decoding settings) and a published-predictions
  // file right on the first 12 items, wrong after.
  ws = await setupRuns({
    prefix: 'compare',
    items: ITEMS,
    tiny: [
      { seed: 7, name: 'tiny-7', args: ['--max-tokens', '6'] },
      { seed: 11, name: 'tiny-11', args: ['--max-tokens', '8', '--temperature', '0.8', '--seed', '3'] },
    ],
    published: { right: 12 },
  });
  ({ served, home, runIds } = ws);
});

test.afterAll(async () => {
  await ws?.stop();
});

async function cliCompare(...extra: string[]): Promise<CliCompare> {
  const { stdout } = await medtask(home, 'compare', ...runIds.map(String), '--json', ...extra);
  return JSON.parse(stdout) as CliCompare;
}

async function openCompare(page: Page) {
  await page.goto(served.url);
  await expect(page.getByTestId('benchmark-row')).not.toHaveCount(0);
  await page.keyboard.press('Control+4');
  await expect(page.getByTestId('compare-view')).toBeVisible();
  await expect(page.getByTestId('view-tab-compare')).toHaveAttribute('aria-selected', 'true');
}

const axe = (page: Page, where: string): Promise<void> => expectNoSeriousAxeViolations(page, where);

test('compare three runs: disagreements, a diff, the core’s CI and paired difference, sort by delta', async ({ page }, info) => {
  const core = await cliCompare();
  expect(core.groups).toEqual([expect.objectContaining({ key: 'medinst32/PubMedQA-labeled', common: ITEMS, missing: [0, 0, 0] })]);

  await openCompare(page);
  for (const id of runIds) await page.getByTestId(`compare-pick-${id}`).check();
  await page.getByTestId('compare-go').click();
  await expect(page.getByTestId('compare-row')).not.toHaveCount(0);
  await expect(page.getByTestId('compare-shown')).toHaveText(`${ITEMS} of ${ITEMS} items`);

  // The CI of run 1's primary metric and the paired difference of run 3 − run 1: the core's numbers, shown.
  const g = core.stats.groups[0]!;
  const ci = g.perRun[0]!.find((m) => m.metric === 'labelMacroF1')!;
  const cell = page.getByTestId('ci-1-labelMacroF1');
  await expect(cell).toHaveText(`${ci.estimate.toFixed(3)} [${ci.low.toFixed(3)}, ${ci.high.toFixed(3)}]`);
  expect(Number(await cell.getAttribute('data-low'))).toBe(ci.low);
  const pair = g.pairs.find((p) => p.run === 2 && p.metric === 'labelMacroF1')!;
  const shownPair = page.getByTestId('compare-pair').and(page.locator('[data-run="3"]'));
  await expect(shownPair).toHaveText(pair.sentence);
  expect(Number(await shownPair.getAttribute('data-diff'))).toBe(pair.diff.estimate);
  expect(Number(await shownPair.getAttribute('data-high'))).toBe(pair.diff.high);
  await expect(page.getByTestId('compare-stats')).toContainText(/distinguishable from noise at this sample size/);
  await page.screenshot({ path: info.outputPath('compare.png'), fullPage: true });
  await axe(page, 'compare');

  // Disagreements: the same count as the CLI's filter.
  await expect(page.getByTestId('count-differ')).toHaveText(String(core.counts.agreement.differ));
  await page.getByTestId('filter-differ').check();
  const differ = await cliCompare('--filter', 'differ');
  await expect(page.getByTestId('compare-shown')).toHaveText(`${differ.rows.length} of ${ITEMS} items`);
  expect(differ.rows.length).toBeGreaterThan(0);
  await expect(page.getByTestId('compare-row').first()).toHaveAttribute('data-key', differ.rows[0]!.key);

  // Open the first disagreement and diff run 1's output against run 3's.
  await page.getByTestId('compare-row').first().click();
  await expect(page.getByTestId('compare-detail')).toBeVisible();
  await expect(page.getByTestId('compare-run-detail')).toHaveCount(3);
  // Gold and answers read as the task's answers do (the engine's answer kind: PubMedQA's labels), as chips.
  await expect(page.getByTestId('compare-gold')).toHaveAttribute('data-kind', 'labels');
  await expect(page.getByTestId('compare-gold').getByTestId('label-chip')).toHaveText(/^(yes|no|maybe)$/);
  const publishedAnswer = page.getByTestId('compare-run-detail').nth(2).getByTestId('compare-extracted');
  await expect(publishedAnswer.getByTestId('label-chip')).toHaveAttribute('data-match', /^(yes|no)$/);
  await axe(page, 'compare detail');
  await page.getByTestId('compare-rows').focus();
  await page.keyboard.press('1');
  await page.keyboard.press('3');
  await expect(page.getByTestId('diff-sides')).toHaveText(/^1 · tiny-7 ⟷ 3 · published$/);
  await expect(page.locator('.monaco-diff-editor')).toBeVisible({ timeout: 30_000 });
  await page.screenshot({ path: info.outputPath('compare-diff.png'), fullPage: true });
  await page.getByTestId('diff-layout').click();
  await expect(page.getByTestId('diff-layout')).toHaveText('Side by side');
  await page.screenshot({ path: info.outputPath('compare-diff-inline.png'), fullPage: true });

  // Sort by delta (run 2 against the baseline, largest first): the CLI's order.
  await page.getByTestId('filter-any').check();
  await page.getByTestId('compare-sort').selectOption('delta');
  const byDelta = await cliCompare('--sort', 'delta');
  const keys = await page.getByTestId('compare-row').evaluateAll((els) => els.map((e) => e.getAttribute('data-key')));
  expect(keys.slice(0, 5)).toEqual(byDelta.rows.slice(0, 5).map((r) => r.key));

  // The leaderboard: the same numbers as `medtask leaderboard --json`.
  const { stdout } = await medtask(home, 'leaderboard', '--json');
  const board = JSON.parse(stdout) as { entries: { runId: number; cells: Record<string, { estimate: number }> }[] };
  await page.getByTestId('mode-leaderboard').click();
  await expect(page.getByTestId('leaderboard-row')).toHaveCount(3);
  const published = board.entries.find((e) => e.runId === runIds[2])!.cells['medinst32/PubMedQA-labeled']!;
  const lbCell = page.getByTestId(`lb-${runIds[2]}-medinst32/PubMedQA-labeled`);
  await expect(lbCell).toHaveAttribute('data-estimate', String(published.estimate));
  await page.screenshot({ path: info.outputPath('leaderboard.png'), fullPage: true });
  await axe(page, 'leaderboard');
});

test('keyboard only: Ctrl+4, pick runs, j/k through the rows, Enter, d, digits, / search', async ({ page }, info) => {
  await page.goto(served.url);
  await expect(page.getByTestId('benchmark-row')).not.toHaveCount(0);
  await page.keyboard.press('Control+4');
  await expect(page.getByTestId('compare-view')).toBeVisible();
  // The newest run is listed first: tick it and the next one with the space bar (picked order: 3, 2).
  await page.locator('[data-testid^="compare-pick-"]').first().focus();
  await page.keyboard.press('Space');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Space');
  await expect(page.getByTestId('compare-go')).toHaveText('Compare 2 runs');
  await page.getByTestId('compare-go').focus();
  await page.keyboard.press('Enter');
  const list = page.getByTestId('compare-rows');
  await expect(list).toBeFocused();
  const rows = page.getByTestId('compare-row');
  for (let i = 0; i < ITEMS - 1; i++) await page.keyboard.press('j');
  await expect(rows.last()).toHaveAttribute('aria-selected', 'true');
  await expect(rows.last()).toHaveAttribute('data-key', `medinst32/PubMedQA-labeled#${ITEMS - 1}`);
  for (let i = 0; i < ITEMS - 1; i++) await page.keyboard.press('k');
  await expect(rows.first()).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('j');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('compare-detail')).toContainText('medinst32/PubMedQA-labeled#1');
  await page.keyboard.press('d');
  await expect(page.getByTestId('compare-diff')).toBeVisible();
  await page.keyboard.press('2');
  await expect(page.getByTestId('diff-sides')).toHaveText(/^Gold ⟷ 2 · tiny-11$/);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('compare-detail')).toHaveCount(0);
  await expect(list).toBeFocused();
  await page.keyboard.press('/');
  await expect(page.getByTestId('compare-search')).toBeFocused();
  await page.keyboard.type('mammography');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('compare-shown')).toHaveText(/^[1-9]\d* of [1-9]\d* items$/);
  await expect(rows.first()).toHaveAttribute('data-key', 'medinst32/PubMedQA-labeled#0');
  await page.screenshot({ path: info.outputPath('compare-keyboard.png'), fullPage: true });
  await axe(page, 'compare after search');
});
