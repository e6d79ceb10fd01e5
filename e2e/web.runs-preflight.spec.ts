/**
 * Runs that explain themselves, second part, in Chromium against the real web host and core:
 * the item list filtered by gold label and by a metric range and sorted by a metric; run rows
 * that say what each run is; "Duplicate with changes" opening the New run dialog filled from
 * a run; the pre-flight check saying how many prompts do not fit a tiny model trained for 256
 * tokens. Real PubMedQA items, a real tiny-GGUF run, an imported predictions file; screenshots
 * and axe-core.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expectNoSeriousAxeViolations } from './axe';
import { expect, test, type Page } from '@playwright/test';
import { writeTinyModel } from '../test/tooling/tinyModel';
import { medtask, serve, SHARED_DATA, tempHome, type Served } from './fixtures';

const PUBMEDQA = path.join(SHARED_DATA, 'medinst32/unseen_tests_zs/PubMedQA-labeled.json');
const TINY = { seed: 7, layers: 2, embd: 64, heads: 4, kvHeads: 2, ff: 128 };
const ITEMS = 8;
const RIGHT = 5;

let home: string;
let scratch: string;
let served: Served;
let model: string;
let small: string;
let golds: string[];

test.beforeAll(async () => {
  test.setTimeout(300_000);
  home = tempHome();
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'medtask-e2e-preflight-'));
  model = path.join(scratch, 'tiny-7.gguf');
  small = path.join(scratch, 'tiny-256.gguf');
  await writeTinyModel(model, { ...TINY, contextLength: 8192 });
  await writeTinyModel(small, { ...TINY, contextLength: 256 });
  await medtask(home, 'import', PUBMEDQA);
  await medtask(
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
    '3',
    '--max-tokens',
    '4',
    '--name',
    'tiny base',
    '--json',
  );
  golds = fs
    .readFileSync(PUBMEDQA, 'utf8')
    .split('\n')
    .filter(Boolean)
    .slice(0, ITEMS)
    .map((l) => (JSON.parse(l) as { output: string }).output);
  const wrong: Record<string, string> = { yes: 'no', no: 'maybe', maybe: 'yes' };
  const generated = golds.map((g, i) => ({ prediction: i < RIGHT ? g : (wrong[g.trim().toLowerCase()] ?? 'no'), target: g }));
  const file = path.join(scratch, 'published.json');
  fs.writeFileSync(file, JSON.stringify({ QA: { 'PubMedQA-labeled': { generated } } }));
  await medtask(home, 'import-predictions', file, '--name', 'published');
  served = await serve(home);
});

test.afterAll(async () => {
  await served?.stop();
  for (const dir of [home, scratch]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const axe = (page: Page, include: string): Promise<void> => expectNoSeriousAxeViolations(page, include, [include]);

test('items filter by gold label and metric range and sort by a metric; rows say what each run is', async ({ page }, info) => {
  await page.goto(served.url);
  await page.getByTestId('view-tab-runs').click();
  const rows = page.getByTestId('runs-list').getByTestId('run-row');
  await expect(rows).toHaveCount(2);
  // The local run: task, config, strategy, model, without opening it.
  const local = rows.filter({ hasText: 'tiny base' });
  await expect(local.getByTestId('run-setup-tasks')).toHaveText('PubMedQA-labeled');
  await expect(local.getByTestId('run-setup-configs')).toHaveText('zero-shot');
  await expect(local.getByTestId('run-setup-prompt')).toHaveText('MedINST32');
  await expect(local.getByTestId('run-model')).toHaveText('tiny-7.gguf');
  const imported = rows.filter({ hasText: 'published' });
  await expect(imported.getByTestId('run-setup')).toContainText('imported');
  await expect(imported.getByTestId('run-setup-tasks')).toHaveText('PubMedQA-labeled');
  await expect(imported.getByTestId('run-duplicate')).toBeDisabled();

  await imported.click();
  const items = page.getByTestId('run-items').getByTestId('run-item');
  await expect(items).toHaveCount(ITEMS);
  const scores = page.getByTestId('run-items').getByTestId('run-item-score');

  // Gold label: each label present, with its count; choosing one lists exactly those items.
  const counts = new Map<string, number>();
  for (const g of golds) counts.set(g, (counts.get(g) ?? 0) + 1);
  const gold = page.getByTestId('run-items-gold');
  await expect(gold.locator('option')).toHaveCount(counts.size + 1);
  const [label, count] = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]!;
  await gold.selectOption(label);
  await expect(page.getByTestId('run-items-matching')).toHaveText(`${count} matching`);
  await expect(items).toHaveCount(count);
  for (const t of await page.getByTestId('run-items').locator('.item-gold span[title="gold"]').allTextContents()) expect(t).toBe(label);
  // Combined with "wrong": the wrong items of that label only.
  await page.getByTestId('run-items-show').selectOption('wrong');
  const wrongOfLabel = golds.filter((g, i) => g === label && i >= RIGHT).length;
  await expect(page.getByTestId('run-items-matching')).toHaveText(`${wrongOfLabel} matching`);
  await page.getByTestId('run-items-show').selectOption('all');
  await gold.selectOption('');
  await expect(items).toHaveCount(ITEMS);

  // Metric range: the primary metric at 1 (per item: right) is the right items.
  // The badge's title is "<metric name> <value> (fraction)".
  const metric = /^(.*?) [\d.]+/.exec((await scores.first().getAttribute('title'))!)![1]!;
  const rangeMetric = page.getByTestId('run-items-range-metric');
  await rangeMetric.selectOption({ label: metric });
  await page.getByTestId('run-items-range-min').fill('1');
  await page.getByTestId('run-items-range-max').fill('1');
  await page.getByTestId('run-items-range-max').press('Enter');
  await expect(page.getByTestId('run-items-matching')).toHaveText(`${RIGHT} matching`);
  await expect(scores).toHaveText(Array<string>(RIGHT).fill('✓'));
  await page.getByTestId('run-items-range-min').fill('');
  await page.getByTestId('run-items-range-max').fill('0.5');
  await page.getByTestId('run-items-range-max').press('Enter');
  await expect(page.getByTestId('run-items-matching')).toHaveText(`${ITEMS - RIGHT} matching`);
  await page.getByTestId('run-items-range-max').fill('');
  await page.getByTestId('run-items-range-max').press('Enter');
  await expect(items).toHaveCount(ITEMS);

  // Sorted by the metric, low first: the wrong items lead.
  await page.getByTestId('run-items-sort').selectOption({ label: `${metric}, low first` });
  await expect(scores).toHaveText([...Array<string>(ITEMS - RIGHT).fill('✗'), ...Array<string>(RIGHT).fill('✓')]);
  await page.getByTestId('run-items-sort').selectOption({ label: `${metric}, high first` });
  await expect(scores).toHaveText([...Array<string>(RIGHT).fill('✓'), ...Array<string>(ITEMS - RIGHT).fill('✗')]);

  await page.screenshot({ path: info.outputPath('runs-item-filters.png'), fullPage: true });
  await axe(page, '.run-items-pane');
  await axe(page, '[data-testid="runs-list"]');
});

test('Duplicate with changes opens the New run dialog filled from the run; the pre-flight says which prompts do not fit', async ({ page }, info) => {
  await page.goto(served.url);
  await page.getByTestId('view-tab-runs').click();
  const local = page.getByTestId('runs-list').getByTestId('run-row').filter({ hasText: 'tiny base' });
  await local.getByTestId('run-duplicate').click();
  const dialog = page.getByTestId('run-dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('New run from “tiny base”');
  await expect(dialog.getByTestId('run-task-option').filter({ hasText: 'PubMedQA-labeled' }).getByRole('checkbox')).toBeChecked();
  await expect(dialog.getByTestId('run-model-path')).toHaveValue(model);
  await expect(dialog.getByTestId('run-threads')).toHaveValue('1');
  await expect(dialog.getByTestId('run-context-size')).toHaveValue('8192');
  await expect(dialog.getByTestId('run-max-tokens')).toHaveValue('4');
  await expect(dialog.getByTestId('run-selection-mode')).toHaveValue('limit');
  await expect(dialog.getByTestId('run-limit')).toHaveValue('3');
  await expect(dialog.getByTestId('run-strategy')).toHaveValue('medinst32');
  // The task has no few-shot split: that config cannot be chosen, and says why.
  await expect(dialog.getByTestId('run-config').locator('option[value="few-shot"]')).toBeDisabled();
  await expect(dialog.getByTestId('run-config').locator('option[value="few-shot"]')).toHaveText('few-shot (not in PubMedQA-labeled)');

  // The change: a model trained for 256 tokens, context left automatic. Start checks first and stops.
  await dialog.getByTestId('run-model-path').fill(small);
  await dialog.getByTestId('run-context-size').fill('');
  await dialog.getByTestId('run-create').click();
  const preflight = dialog.getByTestId('run-preflight');
  await expect(preflight).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  await expect(dialog.getByTestId('run-preflight-summary')).toContainText(
    '3 of 3 prompts do not fit: the budget is 252 prompt tokens (context 256 − 4 to answer)',
  );
  await expect(dialog.getByTestId('run-preflight-largest')).toContainText(/Largest: item #\d+ of PubMedQA-labeled, [\d,]+ tokens vs 252/);
  await expect(dialog.getByTestId('run-preflight-advice')).toBeVisible();
  await expect(dialog.getByTestId('run-create')).toHaveText('Start anyway');
  await page.screenshot({ path: info.outputPath('run-preflight.png'), fullPage: true });
  await axe(page, '[data-testid="run-dialog"]');

  // Cut instead of failing: the check says the prompts will be cut and Start is plain again.
  await dialog.getByTestId('run-truncate').selectOption('keep-end');
  await expect(dialog.getByTestId('run-create')).toHaveText('Start run');
  await dialog.getByTestId('run-preflight-check').click();
  await expect(preflight).toContainText('3 prompts will be cut to fit');
  await dialog.getByTestId('run-dialog-cancel').click();
  await expect(dialog).toHaveCount(0);

  // The key: d on the run under the cursor opens the same dialog.
  await local.click();
  await page.getByTestId('runs-list').focus();
  await page.keyboard.press('d');
  await expect(page.getByTestId('run-dialog')).toContainText('New run from “tiny base”');
});
