/**
 * Full-text search in the browser UI against the real engine: real files imported with the
 * CLI, the real web host, and totals checked against counts taken from the files here.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { medtask, serve, SHARED_DATA, tempHome, type Served } from './fixtures';

const PUBMEDQA = path.join(SHARED_DATA, 'medinst32/unseen_tests/PubMedQA-labeled.json');
const TASK123 = path.join(SHARED_DATA, 'meds-bench/MCQA/task123_pubmedqa_test_set.json');

interface Texts {
  instruction: string;
  input: string;
  outputs: string[];
}

// Both files, read independently of the app. PubMedQA-labeled is JSON Lines; task123 is one
// MedS-Bench object whose Definition is every instance's instruction.
const pubmedqa: Texts[] = fs
  .readFileSync(PUBMEDQA, 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => {
    const r = JSON.parse(line) as { instruction: string; input: string; output: string };
    return { instruction: r.instruction, input: r.input, outputs: [r.output] };
  });
const task123File = JSON.parse(fs.readFileSync(TASK123, 'utf8')) as {
  Definition: string[];
  Instances: { input: string; output: string[] | string }[];
};
const task123: Texts[] = task123File.Instances.map((r) => ({
  instruction: task123File.Definition.join('\n'),
  input: r.input,
  outputs: Array.isArray(r.output) ? r.output : [r.output],
}));

/**
 * How many records hold `word` as a whole word, case-insensitively, in the three indexed
 * fields (history is not indexed). This mirrors FTS5's unicode61 tokenizer: a token is a run
 * of letters, digits and marks, so punctuation, spaces and `_` all separate words.
 */
function countWholeWord(records: Texts[], word: string): number {
  const re = new RegExp(`(?<![\\p{L}\\p{N}\\p{M}])${word}(?![\\p{L}\\p{N}\\p{M}])`, 'iu');
  return records.filter((r) => re.test(r.instruction) || re.test(r.input) || r.outputs.some((o) => re.test(o))).length;
}

// A distinctive clinical word in both files (the same PubMedQA items in two layouts).
const WORD = 'laparoscopic';
const inPubmedqa = countWholeWord(pubmedqa, WORD);
const inTask123 = countWholeWord(task123, WORD);
// A common word with more matches than one page (50), to exercise paging.
const COMMON = 'children';
const commonTotal = countWholeWord(pubmedqa, COMMON) + countWholeWord(task123, COMMON);

function summaryFor(total: number): RegExp {
  return new RegExp(`^${total.toLocaleString('en-US')} match(es)? · [\\d.,]+ ms$`);
}

let served: Served;
let home: string;

test.beforeAll(async () => {
  expect(inPubmedqa).toBeGreaterThan(2);
  expect(inTask123).toBeGreaterThan(2);
  expect(commonTotal).toBeGreaterThan(50);
  home = tempHome();
  const { stdout } = await medtask(home, 'import', PUBMEDQA, TASK123, '--json');
  const { splits } = JSON.parse(stdout) as { splits: { benchmark: string; task: string; itemCount: number }[] };
  expect(splits).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ benchmark: 'medinst32', task: 'PubMedQA-labeled', itemCount: 500 }),
      expect.objectContaining({ benchmark: 'meds-bench', task: 'task123_pubmedqa_test_set', itemCount: 500 }),
    ]),
  );
  served = await serve(home);
});

test.afterAll(async () => {
  await served?.stop();
  if (home) fs.rmSync(home, { recursive: true, force: true });
});

async function open(page: Page): Promise<void> {
  await page.goto(served.url);
  await expect(page.getByTestId('benchmark-row')).toHaveCount(2);
}

test('search finds highlighted matches, filters by facet and opens a hit', async ({ page }, info) => {
  await open(page);

  // `/` outside a text field focuses the search box.
  await page.getByTestId('benchmark-list').focus();
  await page.keyboard.press('/');
  await expect(page.getByTestId('search-input')).toBeFocused();
  await page.keyboard.type(WORD);

  const results = page.getByTestId('search-results');
  const summary = page.getByTestId('search-summary');
  await expect(results).toBeVisible();
  await expect(summary).toHaveText(summaryFor(inPubmedqa + inTask123));
  // Results replace the items pane while the query is active.
  await expect(page.getByTestId('item-list')).toHaveCount(0);

  // task123 holds the same PubMedQA records (their parts in another order): each record is one hit with two copies.
  expect(inTask123).toBe(inPubmedqa);
  const hits = results.getByTestId('search-hit');
  await expect(hits).toHaveCount(inPubmedqa);
  for (const hit of await hits.all()) await expect(hit).toHaveAttribute('data-copies', '2');
  for (const hit of await hits.all()) {
    const marks = await hit.locator('mark').allTextContents();
    expect(marks.length).toBeGreaterThan(0);
    for (const m of marks) expect(m.toLowerCase()).toBe(WORD);
  }
  // The control characters that delimit highlights never reach the page.
  const shown = (await results.textContent()) ?? '';
  expect(shown.includes('\u0002') || shown.includes('\u0003')).toBe(false);

  // Facets: the counts are those of each file.
  const facets = page.getByTestId('search-facets');
  const medinst = facets.locator('[data-testid=facet-value][data-facet=benchmark][data-value=medinst32]');
  await expect(medinst).toContainText(String(inPubmedqa));
  await expect(facets.locator('[data-facet=benchmark][data-value=meds-bench]')).toContainText(String(inTask123));
  await expect(medinst).toHaveAttribute('aria-pressed', 'false');
  await page.screenshot({ path: info.outputPath('search.png') });
  await info.attach('search', { path: info.outputPath('search.png'), contentType: 'image/png' });

  await medinst.click();
  await expect(medinst).toHaveAttribute('aria-pressed', 'true');
  await expect(summary).toHaveText(summaryFor(inPubmedqa));
  await expect(hits).toHaveCount(inPubmedqa);
  for (const text of await hits.locator('.hit-where').allTextContents()) expect(text).toContain('medinst32');

  // The task facet (`benchmark/task`) maps to a task id: same set, so the total stays.
  const taskFacet = facets.locator('[data-facet=task][data-value="medinst32/PubMedQA-labeled"]');
  await taskFacet.click();
  await expect(taskFacet).toHaveAttribute('aria-pressed', 'true');
  await expect(summary).toHaveText(summaryFor(inPubmedqa));
  // Dropping the benchmark filter keeps the task filter: still only PubMedQA-labeled.
  await medinst.click();
  await expect(medinst).toHaveAttribute('aria-pressed', 'false');
  await expect(summary).toHaveText(summaryFor(inPubmedqa));

  // Open the first hit: the item view shows exactly that record of the file.
  const first = hits.first();
  const index = Number((await first.locator('.hit-index').textContent())?.replace('#', ''));
  const record = pubmedqa[index]!;
  expect(record.input.toLowerCase()).toContain(WORD);
  await first.click();
  const view = page.getByTestId('item-view');
  await expect(view.getByTestId('item-input')).toHaveText(record.input);
  await expect(view.getByTestId('item-instruction')).toHaveText(record.instruction);
  await expect(view.getByTestId('item-output')).toContainText(record.outputs[0]!);
  await expect(view).toContainText(`#${index}`);
  // The hit's task is selected on the left.
  await expect(page.getByTestId('task-row').filter({ hasText: 'PubMedQA-labeled' })).toHaveClass(/open/);
  await page.screenshot({ path: info.outputPath('search-open.png') });
  await info.attach('search-open', { path: info.outputPath('search-open.png'), contentType: 'image/png' });

  // Keyboard: Ctrl+K back to the box, arrow down to the list, Enter opens the second hit.
  await page.keyboard.press('Control+k');
  await expect(page.getByTestId('search-input')).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  const second = Number((await hits.nth(1).locator('.hit-index').textContent())?.replace('#', ''));
  await expect(view.getByTestId('item-input')).toHaveText(pubmedqa[second]!.input);

  // Escape clears the search and the items pane comes back.
  await page.keyboard.press('Escape');
  await expect(results).toHaveCount(0);
  await expect(page.getByTestId('search-input')).toHaveValue('');
  await expect(page.getByTestId('item-list')).toBeVisible();
});

test('more loads the next page of matches', async ({ page }) => {
  await open(page);
  await page.keyboard.press('Control+k');
  await page.keyboard.type(COMMON);
  await expect(page.getByTestId('search-summary')).toHaveText(summaryFor(commonTotal));
  const hits = page.getByTestId('search-hit');
  // Rows are records; each lists its copies, so the copies shown add up to the matching items read.
  const copiesShown = () => hits.evaluateAll((els) => els.reduce((n, e) => n + Number(e.getAttribute('data-copies')), 0));
  await expect.poll(copiesShown).toBe(50);
  await page.getByTestId('search-more').click();
  await expect.poll(copiesShown).toBe(Math.min(commonTotal, 100));
  const ids = await hits.evaluateAll((els) => els.map((e) => e.getAttribute('data-item-id')));
  expect(new Set(ids).size).toBe(ids.length);
  if (commonTotal <= 100) await expect(page.getByTestId('search-more')).toHaveCount(0);
});

test('a query with nothing to search shows the error in the results pane', async ({ page }) => {
  await open(page);
  await page.getByTestId('search-input').fill('"');
  await expect(page.getByTestId('search-error')).toContainText('invalid_input');
  await expect(page.getByTestId('search-results')).toBeVisible();
  // Typing a real query again replaces the error with matches.
  await page.getByTestId('search-input').fill(WORD);
  await expect(page.getByTestId('search-error')).toHaveCount(0);
  await expect(page.getByTestId('search-summary')).toHaveText(summaryFor(inPubmedqa + inTask123));
});
