/**
 * Runs that explain themselves, in Chromium against the real web host and core: a predictions
 * file imported for 6 real PubMedQA items (right on the first 4) lists each item with its own
 * score, ✓ or ✗, the same values the core's pageRunItems gives; a screenshot and axe-core.
 */
import { expectNoSeriousAxeViolations } from './axe';
import { expect, test } from '@playwright/test';
import { type Served } from './fixtures';
import { setupRuns, type RunWorkspace } from './runSetup';

const ITEMS = 6;
const RIGHT = 4;

let ws: RunWorkspace;
let served: Served;

test.beforeAll(async () => {
  test.setTimeout(300_000);
  ws = await setupRuns({ prefix: 'explain', items: ITEMS, published: { right: RIGHT } });
  ({ served } = ws);
});

test.afterAll(async () => {
  await ws?.stop();
});

test('the item list shows each item’s own score: ✓ for right, ✗ for wrong, with the metric and scale named', async ({ page }, info) => {
  await page.goto(served.url);
  await page.getByTestId('view-tab-runs').click();
  await page.getByTestId('runs-list').getByTestId('run-row').first().click();
  const items = page.getByTestId('run-items').getByTestId('run-item');
  await expect(items).toHaveCount(ITEMS);
  const scores = page.getByTestId('run-items').getByTestId('run-item-score');
  await expect(scores).toHaveCount(ITEMS);
  const shown = await scores.allTextContents();
  expect(shown).toEqual([...Array<string>(RIGHT).fill('✓'), ...Array<string>(ITEMS - RIGHT).fill('✗')]);
  await expect(scores.first()).toHaveAttribute('data-value', '1');
  await expect(scores.last()).toHaveAttribute('data-value', '0');
  await expect(scores.first()).toHaveAttribute('aria-label', /\(fraction\)$/);

  // Filters, applied by the engine over the whole run: wrong only, then right only, then a search.
  await page.getByTestId('run-items-show').selectOption('wrong');
  await expect(page.getByTestId('run-items-matching')).toHaveText(`${ITEMS - RIGHT} matching`);
  await expect(scores).toHaveText(Array<string>(ITEMS - RIGHT).fill('✗'));
  await page.getByTestId('run-items-show').selectOption('right');
  await expect(scores).toHaveText(Array<string>(RIGHT).fill('✓'));
  await page.getByTestId('run-items-show').selectOption('errors');
  await expect(page.getByText('No items match the filter.')).toBeVisible();
  await page.getByTestId('run-items-show').selectOption('all');
  await page.getByTestId('run-items-search').fill('zzzz-not-in-any-item');
  await page.getByTestId('run-items-search').press('Enter');
  await expect(page.getByTestId('run-items-matching')).toHaveText('0 matching');
  await page.getByTestId('run-items-search').fill('');
  await page.getByTestId('run-items-search').press('Enter');
  await expect(items).toHaveCount(ITEMS);

  // The open item reads as the task's answers do (the engine's answer kind: PubMedQA's labels): the
  // output and gold as label chips, the output marked against the gold, the raw text on demand.
  await items.last().click();
  const output = page.getByTestId('run-item-output');
  await expect(output).toHaveAttribute('data-kind', 'labels');
  await expect(output.getByTestId('label-chip')).toHaveAttribute('data-match', 'no');
  await expect(page.getByTestId('run-item-gold').getByTestId('label-chip')).toHaveText(/^(yes|no|maybe)$/);
  await items.first().click();
  await expect(output.getByTestId('label-chip')).toHaveAttribute('data-match', 'yes');
  const gold = (await page.getByTestId('run-item-gold').getByTestId('label-chip').textContent()) ?? '';
  await expect(output.getByTestId('label-chip')).toHaveText(gold);
  await page.getByTestId('run-item-view').getByText('Raw output').click();
  await expect(page.getByTestId('run-item-raw')).toHaveText(gold);

  await page.screenshot({ path: info.outputPath('runs-explain.png'), fullPage: true });
  // axe over what this journey adds (the items pane: filters, list, scores); the run list's own
  // contrast (toolbar key hints, model tag on a focused row) belongs to the Runs view's journey.
  await expectNoSeriousAxeViolations(page, 'run items', ['.run-items-pane', '.run-item-pane']);
});
