/**
 * The leaderboard's charts in Chromium against the real web host and core: one tiny-GGUF run
 * and one imported predictions file on 10 real PubMedQA items; the score chart, the per-item
 * scatter and distribution of the two runs, each chart's table equal to the core's numbers,
 * PNG and SVG downloads that are real images, a screenshot and axe-core.
 */
import fs from 'node:fs';
import { expectNoSeriousAxeViolations } from './axe';
import { expect, test } from '@playwright/test';
import { medtask, type Served } from './fixtures';
import { setupRuns, type RunWorkspace } from './runSetup';

const ITEMS = 10;

let ws: RunWorkspace;
let served: Served;
let home: string;
let runIds: number[] = [];

test.setTimeout(240_000);

test.beforeAll(async () => {
  test.setTimeout(600_000);
  // One tiny-GGUF run and published predictions right on the first 7 items, wrong after.
  ws = await setupRuns({ prefix: 'lb', items: ITEMS, tiny: [{ seed: 7, name: 'tiny', args: ['--max-tokens', '6'] }], published: { right: 7 } });
  ({ served, home, runIds } = ws);
});

test.afterAll(async () => {
  await ws?.stop();
});

test('leaderboard charts: CI whiskers, per-item scatter and distribution, tables, PNG/SVG, axe', async ({ page }, info) => {
  const { stdout } = await medtask(home, 'leaderboard', '--json');
  const core = JSON.parse(stdout) as {
    columns: { key: string }[];
    entries: { runId: number; cells: Record<string, { estimate: number; low: number; high: number }> }[];
  };
  const col = core.columns[0]!.key;
  const published = core.entries.find((e) => e.runId === runIds[1])!.cells[col]!;

  await page.goto(served.url);
  await expect(page.getByTestId('benchmark-row')).not.toHaveCount(0);
  await page.keyboard.press('Control+4');
  await page.getByTestId('mode-leaderboard').click();
  const charts = page.getByTestId('leaderboard-charts');
  await expect(charts).toBeVisible();
  await expect(page.getByTestId('lb-chart-score').locator('canvas')).toHaveCount(1);

  // The score chart's table: the core's estimate and CI for the imported run, fractions to 3 places.
  await page.getByTestId('lb-chart-score-table-toggle').click();
  const scoreTable = page.getByTestId('lb-chart-score-table');
  await expect(scoreTable).toContainText(`${published.estimate.toFixed(3)} [${published.low.toFixed(3)}, ${published.high.toFixed(3)}]`);

  // Scatter and distribution of the two runs: every item counted once per run.
  await expect(page.getByTestId('lb-chart-scatter')).toBeVisible();
  await page.getByTestId('lb-chart-dist-table-toggle').click();
  const distRows = page.getByTestId('lb-chart-dist-table').locator('tbody tr');
  await expect(distRows).toHaveCount(10);
  const counts = await distRows.evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => Number(td.textContent))));
  expect(counts.reduce((s, r) => s + r[0]!, 0)).toBe(ITEMS);
  expect(counts.reduce((s, r) => s + r[1]!, 0)).toBe(ITEMS);
  await page.getByTestId('lb-chart-scatter-table-toggle').click();
  const scatterItems = await page.getByTestId('lb-chart-scatter-table').locator('tbody tr td:last-child').allTextContents();
  expect(scatterItems.reduce((s, t) => s + Number(t), 0)).toBe(ITEMS);

  // Saves: a PNG that starts with the PNG signature and an SVG document.
  const [png] = await Promise.all([page.waitForEvent('download'), page.getByTestId('lb-chart-score-png').click()]);
  const pngPath = info.outputPath('score.png');
  await png.saveAs(pngPath);
  expect(fs.readFileSync(pngPath).subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  const [svg] = await Promise.all([page.waitForEvent('download'), page.getByTestId('lb-chart-dist-svg').click()]);
  const svgPath = info.outputPath('dist.svg');
  await svg.saveAs(svgPath);
  const svgText = fs.readFileSync(svgPath, 'utf8');
  expect(svgText).toMatch(/^<svg[\s>]/);
  expect(svgText).toContain('</svg>');

  await page.screenshot({ path: info.outputPath('leaderboard-charts.png'), fullPage: true });
  await expectNoSeriousAxeViolations(page, 'leaderboard');
});
