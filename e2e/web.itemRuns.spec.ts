/**
 * The Library item view and search as issue #14 asks, in the browser against the real engine: one
 * record imported three times (MedINST32 few-shot and zero-shot, MedS-Bench) is one search hit with
 * a chip per copy; opening a copy marks the query's words; a MedS-Bench item says where its shots
 * come from; an NER item shows its entities as spans; the item view lists every run's answer (two
 * predictions files imported as runs) with its scores, and opens a run at the item. Screenshots and axe.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expectNoSeriousAxeViolations } from './axe';
import { expect, test, type Page } from '@playwright/test';
import { medtask, serve, SHARED_DATA, tempHome, type Served } from './fixtures';

const PUBMEDQA = path.join(SHARED_DATA, 'medinst32/unseen_tests/PubMedQA-labeled.json');
const PUBMEDQA_ZS = path.join(SHARED_DATA, 'medinst32/unseen_tests_zs/PubMedQA-labeled.json');
const TASK123 = path.join(SHARED_DATA, 'meds-bench/MCQA/task123_pubmedqa_test_set.json');
const NCBI = path.join(SHARED_DATA, 'medinst32/unseen_tests/NCBI-disease.json');

const pubmedqa = fs
  .readFileSync(PUBMEDQA, 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l) as { input: string; output: string });
const ncbi = JSON.parse(fs.readFileSync(NCBI, 'utf8')) as { input: string; output: string }[];
const WRONG: Record<string, string> = { yes: 'no', no: 'maybe', maybe: 'yes' };

// Record 0 of PubMedQA-labeled is in all three files; this phrase is in its question only.
const PHRASE = '"tailored interventions increase mammography"';

let served: Served;
let home: string;

/** Two MedINST32 results files: "A" answers every item right, "B" gets PubMedQA #0 wrong and tags only one NCBI disease. */
function writePredictions(dir: string): string[] {
  const golds = pubmedqa.slice(0, 20).map((r) => r.output);
  const tagsB = ncbi[0]!.output.replace('sporadic [B] T [I] - [I] cell [I] leukaemia [I]', 'sporadic [O] T [O] - [O] cell [O] leukaemia [O]');
  expect(tagsB).not.toBe(ncbi[0]!.output);
  const files: string[] = [];
  for (const [name, qa, ner] of [
    ['A', golds.map((g) => ({ prediction: g, target: g })), ncbi.slice(0, 5).map((r) => ({ prediction: r.output, target: r.output }))],
    [
      'B',
      golds.map((g, i) => ({ prediction: i === 0 ? WRONG[g]! : g, target: g })),
      ncbi.slice(0, 5).map((r, i) => ({ prediction: i === 0 ? tagsB : r.output, target: r.output })),
    ],
  ] as const) {
    const file = path.join(dir, `predictions-${name}.json`);
    fs.writeFileSync(file, JSON.stringify({ QA: { 'PubMedQA-labeled': { generated: qa } }, NER: { 'NCBI-disease': { generated: ner } } }));
    files.push(file);
  }
  return files;
}

test.beforeAll(async () => {
  home = tempHome();
  await medtask(home, 'import', PUBMEDQA, PUBMEDQA_ZS, TASK123, NCBI);
  const [a, b] = writePredictions(home);
  await medtask(home, 'import-predictions', a!, '--name', 'model A predictions');
  await medtask(home, 'import-predictions', b!, '--name', 'model B predictions');
  served = await serve(home);
});

test.afterAll(async () => {
  await served?.stop();
  if (home) fs.rmSync(home, { recursive: true, force: true });
});

const axe = (page: Page, where: string): Promise<void> => expectNoSeriousAxeViolations(page, where);

async function shot(
  page: Page,
  info: { outputPath(name: string): string; attach(name: string, o: { path: string; contentType: string }): Promise<void> },
  name: string,
) {
  await page.screenshot({ path: info.outputPath(`${name}.png`) });
  await info.attach(name, { path: info.outputPath(`${name}.png`), contentType: 'image/png' });
}

async function openItem(page: Page, benchmark: string, task: string, index: number): Promise<void> {
  await page.goto(served.url);
  await page.getByTestId('benchmark-row').filter({ hasText: benchmark }).click();
  await page.getByTestId('task-row').filter({ hasText: task }).click();
  await page
    .getByTestId('item-row')
    .filter({ hasText: `#${index}` })
    .first()
    .click();
}

test('three copies of a record are one hit; opening a copy marks the words and says where its shots come from', async ({ page }, info) => {
  await page.goto(served.url);
  await page.keyboard.press('Control+k');
  await page.keyboard.type(PHRASE);
  await expect(page.getByTestId('search-summary')).toHaveText(/^3 matches/);
  const hits = page.getByTestId('search-hit');
  await expect(hits).toHaveCount(1);
  const chips = hits.first().getByTestId('search-hit-copy');
  await expect(chips).toHaveCount(3);
  expect((await chips.evaluateAll((els) => els.map((e) => `${e.getAttribute('data-benchmark')}/${e.getAttribute('data-config')}`))).sort()).toEqual([
    'medinst32/few-shot',
    'medinst32/zero-shot',
    'meds-bench/default',
  ]);
  // The config facet lists each copy's config.
  for (const config of ['few-shot', 'zero-shot', 'default'])
    await expect(page.locator(`[data-testid=facet-value][data-facet=config][data-value="${config}"]`)).toContainText('1');

  // Keyboard: down into the list, Enter opens the best copy, `c` the next one.
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(chips.nth(0)).toHaveAttribute('data-open', 'true');
  await page.getByTestId('search-input').press('ArrowDown');
  await page.keyboard.press('c');
  await expect(chips.nth(1)).toHaveAttribute('data-open', 'true');

  await chips.filter({ hasText: 'meds-bench' }).click();
  const view = page.getByTestId('item-view');
  await expect(view).toContainText('meds-bench');
  const marks = view.getByTestId('item-input').locator('mark');
  await expect(marks).toHaveCount(4);
  expect((await marks.allTextContents()).map((m) => m.toLowerCase())).toEqual(['tailored', 'interventions', 'increase', 'mammography']);
  // No history stored, yet its runs use three shots: the view says where they come from.
  await expect(view.getByTestId('item-shots-note')).toContainText('draw 3 demonstrations');
  // The gold answer reads as a label.
  await expect(view.getByTestId('gold-answer').getByTestId('label-chip')).toHaveText(/The right answer is (yes|no|maybe)/);
  await shot(page, info, 'search-grouped-copy');
  await axe(page, 'grouped search and item');

  // Typing a query that only the NCBI file matches drops a config facet it no longer has.
  await page.locator('[data-testid=facet-value][data-facet=config][data-value=default]').click();
  await expect(page.locator('[data-testid=facet-value][data-facet=config][data-value=default]')).toHaveAttribute('aria-pressed', 'true');
  await page.getByTestId('search-input').fill('leukaemia');
  await expect(hits.first()).toContainText('NCBI-disease');
  await expect(page.locator('[data-testid=facet-value][data-facet=config][data-value=default]')).toHaveCount(0);
});

test('an NER item shows gold and predicted entity spans; every run answer is listed with its scores', async ({ page }, info) => {
  await openItem(page, 'MedINST32', 'NCBI-disease', 0);
  const view = page.getByTestId('item-view');
  const gold = view.getByTestId('gold-answer');
  await expect(gold.getByTestId('entity-span')).toHaveCount(2);
  await expect(gold.getByTestId('entity-span').first()).toContainText('ataxia - telangiectasia');
  await expect(gold.getByTestId('entity-span').first()).toHaveAttribute('data-type', 'disease');
  await expect(view.getByTestId('entity-legend').first()).toContainText('disease');

  const runs = view.getByTestId('item-run');
  await expect(runs).toHaveCount(2);
  const b = runs.filter({ hasText: 'model B predictions' });
  // B tagged one of the two diseases: one span, found in the gold.
  await expect(b.getByTestId('entity-span')).toHaveCount(1);
  await expect(b.getByTestId('entity-span')).toHaveAttribute('data-match', 'yes');
  await expect(b.getByTestId('item-run-scores')).toContainText('BIO tag macro-F1');
  const a = runs.filter({ hasText: 'model A predictions' });
  await expect(a.locator('[data-metric=bioTagF1]')).toHaveText('1.000');
  // Raw output on demand, in monospace, exactly as stored.
  await a.getByText('Raw output').click();
  await expect(a.getByTestId('item-run-raw')).toHaveText(ncbi[0]!.output);
  await shot(page, info, 'item-ner-runs');
  await axe(page, 'NER item view');
});

test('a label item lists each run with its label and score, and opens a run at the item', async ({ page }, info) => {
  await openItem(page, 'MedINST32', 'PubMedQA-labeled', 0);
  const view = page.getByTestId('item-view');
  await expect(view.getByTestId('item-input')).toHaveCSS('font-family', /system-ui|sans/);
  const runs = view.getByTestId('item-run');
  await expect(runs).toHaveCount(2);
  const gold = pubmedqa[0]!.output;
  const a = runs.filter({ hasText: 'model A predictions' });
  const b = runs.filter({ hasText: 'model B predictions' });
  await expect(a.getByTestId('label-chip')).toHaveText(gold);
  await expect(a.getByTestId('label-chip')).toHaveAttribute('data-match', 'yes');
  await expect(b.getByTestId('label-chip')).toHaveText(WRONG[gold]!);
  await expect(b.getByTestId('label-chip')).toHaveAttribute('data-match', 'no');
  // MedINST32 scores are fractions, named with their metric.
  await expect(a.locator('[data-metric=labelMacroF1]')).toHaveText('1.000');
  await expect(b.locator('[data-metric=labelMacroF1]')).toHaveText('0.000');
  await shot(page, info, 'item-label-runs');
  await axe(page, 'label item view');

  await b.getByTestId('item-run-open').click();
  await expect(page.getByTestId('runs-view')).toBeVisible();
  await expect(page.getByTestId('run-item-view')).toBeVisible();
  await expect(page.getByTestId('run-item-output')).toHaveText(WRONG[gold]!);
  await expect(page.getByTestId('run-item-meta')).toContainText('#0');
  await shot(page, info, 'item-open-in-run');
});
