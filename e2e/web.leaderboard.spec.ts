/**
 * The leaderboard's charts in Chromium against the real web host and core: one tiny-GGUF run
 * and one imported predictions file on 10 real PubMedQA items; the score chart, the per-item
 * scatter and distribution of the two runs, each chart's table equal to the core's numbers,
 * PNG and SVG downloads that are real images, a screenshot and axe-core.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { writeTinyModel } from '../test/tooling/tinyModel';
import { medtask, serve, SHARED_DATA, tempHome, type Served } from './fixtures';

const PUBMEDQA = path.join(SHARED_DATA, 'medinst32/unseen_tests_zs/PubMedQA-labeled.json');
const ITEMS = 10;
const TINY = { layers: 2, embd: 64, heads: 4, kvHeads: 2, ff: 128, contextLength: 8192 };

let served: Served;
let home: string;
let scratch: string;
const runIds: number[] = [];

test.setTimeout(240_000);

test.beforeAll(async () => {
  test.setTimeout(600_000);
  home = tempHome();
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'medtask-e2e-lb-'));
  await medtask(home, 'import', PUBMEDQA);
  const model = path.join(scratch, 'tiny.gguf');
  await writeTinyModel(model, { ...TINY, seed: 7 });
  const run = await medtask(
    home,
    'run',
    '--task',
    'PubMedQA-labeled',
    '--model',
    model,
    '--threads',
    '1',
    '--context-size',
    '8192',
    '--limit',
    String(ITEMS),
    '--name',
    'tiny',
    '--max-tokens',
    '6',
    '--json',
  );
  runIds.push((JSON.parse(run.stdout) as { id: number }).id);
  // Published predictions: right on the first 7 items, wrong after.
  const golds = fs
    .readFileSync(PUBMEDQA, 'utf8')
    .split('\n')
    .filter(Boolean)
    .slice(0, ITEMS)
    .map((l) => (JSON.parse(l) as { output: string }).output);
  const wrong: Record<string, string> = { yes: 'no', no: 'maybe', maybe: 'yes' };
  const file = path.join(scratch, 'published.json');
  fs.writeFileSync(
    file,
    JSON.stringify({
      QA: { 'PubMedQA-labeled': { generated: golds.map((g, i) => ({ prediction: i < 7 ? g : (wrong[g.trim().toLowerCase()] ?? 'no'), target: g })) } },
    }),
  );
  const imp = await medtask(home, 'import-predictions', file, '--name', 'published', '--json');
  runIds.push((JSON.parse(imp.stdout) as { id: number }).id);
  served = await serve(home);
});

test.afterAll(async () => {
  await served?.stop();
  for (const dir of [home, scratch]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
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
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(
    bad.map(
      (v) =>
        `${v.id} (${v.impact}) ${v.nodes
          .map((n) => n.target.join(' '))
          .slice(0, 3)
          .join(' | ')}`,
    ),
  ).toEqual([]);
});
