/**
 * An error-analysis session through the browser UI against the real engine: two runs over real
 * PubMedQA items (MedINST32 results files imported as runs), a blind session tagged by keyboard
 * only, a reload, the reveal, export and re-import into a fresh library, and the HTML report
 * opened offline with the browser's request log checked. axe-core on every session screen.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { expectNoSeriousAxeViolations } from './axe';
import { expect, test, type Page } from '@playwright/test';
import { medtask, serve, SHARED_DATA, tempHome, type Served } from './fixtures';

const PUBMEDQA = path.join(SHARED_DATA, 'medinst32/unseen_tests_zs/PubMedQA-labeled.json');
const N = 6;
const golds = fs
  .readFileSync(PUBMEDQA, 'utf8')
  .split('\n')
  .slice(0, N)
  .map((l) => (JSON.parse(l) as { output: string }).output);
const other = (g: string) => (g === 'yes' ? 'no' : 'yes');

let served: Served;
let home: string;
let scratch: string;

function predictions(name: string, answer: (i: number, gold: string) => string): string {
  const file = path.join(scratch, `${name}.json`);
  fs.writeFileSync(file, JSON.stringify({ QA: { 'PubMedQA-labeled': { generated: golds.map((g, i) => ({ prediction: answer(i, g), target: g })) } } }));
  return file;
}

test.beforeAll(async () => {
  home = tempHome();
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'medtask-e2e-ann-'));
  await medtask(home, 'import', PUBMEDQA);
  await medtask(
    home,
    'import-predictions',
    predictions('alpha', (_, g) => g),
    '--name',
    'alpha run',
  );
  await medtask(
    home,
    'import-predictions',
    predictions('beta', (i, g) => (i % 2 ? other(g) : g)),
    '--name',
    'beta run',
  );
  served = await serve(home);
});

test.afterAll(async () => {
  await served?.stop();
  for (const dir of [home, scratch]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const axe = (page: Page, where: string): Promise<void> => expectNoSeriousAxeViolations(page, where);

async function shot(
  page: Page,
  info: { outputPath(n: string): string; attach(n: string, o: { path: string; contentType: string }): Promise<void> },
  name: string,
) {
  await page.screenshot({ path: info.outputPath(`${name}.png`), fullPage: true });
  await info.attach(name, { path: info.outputPath(`${name}.png`), contentType: 'image/png' });
}

const tagButton = (page: Page, target: number | 'item', hotkey: number) =>
  page
    .getByTestId(`review-editor-${target}`)
    .locator('.review-tag')
    .nth(hotkey - 1);

test('a blind two-run session, tagged by keyboard, survives a reload, reveals at the end, travels and reports offline', async ({ page }, info) => {
  // The whole journey (session, reload, export, report, Compare filters, leaderboard) passes a minute on the shared, loaded machine.
  test.setTimeout(240_000);
  await page.goto(served.url);
  await page.keyboard.press('Control+2');
  await expect(page.getByTestId('runs-view')).toBeVisible();

  // Start: both runs, blind.
  await page.getByTestId('review-open-start').click();
  const dialog = page.getByTestId('review-start-dialog');
  await expect(dialog).toBeVisible();
  await dialog.getByTestId('review-start-reviewer').fill('Dr Ada');
  const runBoxes = dialog.locator('[data-testid^="review-start-run-"]');
  await expect(runBoxes).toHaveCount(2);
  // Runs are listed newest first: tick alpha (older) then beta, so alpha is A.
  await runBoxes.nth(1).check();
  await runBoxes.nth(0).check();
  await dialog.getByTestId('review-start-blind').check();
  await axe(page, 'start dialog');
  await shot(page, info, 'start-dialog');
  await dialog.getByTestId('review-start-confirm').click();

  await expect(page.getByTestId('review-view')).toBeVisible();
  await expect(page.getByTestId('review-blind')).toContainText('runs hidden');
  await expect(page.getByTestId('review-column-label-0')).toHaveText('Output A');
  await expect(page.getByTestId('review-column-label-1')).toHaveText('Output B');
  await expect(page.getByTestId('review-progress')).toContainText(`0 / ${N} reviewed`);
  expect(await page.getByTestId('review-view').innerText()).not.toMatch(/alpha run|beta run/);
  await axe(page, 'blind session');

  // Keyboard only. Item 1 (ord 0): A gets tag 1, verdict correct, harm none; B gets tag 2, verdict partly.
  await page.keyboard.press('l'); // focus the next output (B)
  await page.keyboard.press('h'); // and back to A
  await expect(page.getByTestId('review-column-0')).toBeFocused();
  await page.keyboard.press('1');
  await page.keyboard.press('v');
  await page.keyboard.press('s');
  await page.keyboard.press('l');
  await page.keyboard.press('2');
  await page.keyboard.press('v');
  await page.keyboard.press('v');
  await page.keyboard.press('n');
  await expect(page.getByTestId('review-note-1')).toBeFocused();
  await page.keyboard.type('hedges where the abstract is clear');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('review-column-1')).toBeFocused();
  await expect(tagButton(page, 0, 1)).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('review-verdict-0-correct')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('review-severity-0')).toHaveValue('none');
  await expect(tagButton(page, 1, 2)).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('review-verdict-1-partly')).toHaveAttribute('aria-pressed', 'true');

  // Item 2: the focus stays on the second output; tag 3 there, then tag 1 on the first; s s s: moderate.
  await page.keyboard.press('j');
  await expect(page.getByTestId('review-item')).toHaveAttribute('aria-label', `Item 2 of ${N}`);
  await expect(page.getByTestId('review-column-1')).toBeFocused();
  await page.keyboard.press('3');
  await page.keyboard.press('h');
  await page.keyboard.press('1');
  for (let i = 0; i < 4; i++) await page.keyboard.press('s');
  await expect(page.getByTestId('review-severity-0')).toHaveValue('severe');
  // Undo the last `s`, redo it, undo it again: moderate.
  await page.keyboard.press('Control+z');
  await expect(page.getByTestId('review-severity-0')).toHaveValue('moderate');
  await page.keyboard.press('Control+y');
  await expect(page.getByTestId('review-severity-0')).toHaveValue('severe');
  await page.keyboard.press('Control+z');
  await expect(page.getByTestId('review-severity-0')).toHaveValue('moderate');
  // Item 3: tag 7 (format violation) on the first output, verdict incorrect.
  await page.keyboard.press('j');
  await expect(page.getByTestId('review-item')).toHaveAttribute('aria-label', `Item 3 of ${N}`);
  await page.keyboard.press('7');
  await page.keyboard.press('v');
  await page.keyboard.press('v');
  await page.keyboard.press('v');
  await expect(page.getByTestId('review-verdict-0-incorrect')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('review-progress')).toContainText(`3 / ${N} reviewed`);
  const item3 = {
    a: await page.getByTestId('review-output-0').innerText(),
    b: await page.getByTestId('review-output-1').innerText(),
  };
  await shot(page, info, 'blind-session');

  // Reload: the session resumes where the reviewer stopped, everything still there.
  await page.reload();
  await page.keyboard.press('Control+2');
  await page.getByTestId('review-open-sessions').click();
  await expect(page.getByTestId('review-session-table')).toContainText('Dr Ada');
  await expect(page.getByTestId('review-session-table')).toContainText(`3 / ${N}`);
  await axe(page, 'session list');
  await page.locator('[data-testid^="review-resume-"]').first().click();
  await expect(page.getByTestId('review-item')).toHaveAttribute('aria-label', `Item 3 of ${N}`);
  await expect(page.getByTestId('review-output-0')).toHaveText(item3.a);
  await expect(page.getByTestId('review-output-1')).toHaveText(item3.b);
  await expect(tagButton(page, 0, 7)).toHaveAttribute('aria-pressed', 'true');
  await page.keyboard.press('k');
  await page.keyboard.press('k');
  await expect(page.getByTestId('review-item')).toHaveAttribute('aria-label', `Item 1 of ${N}`);
  await expect(page.getByTestId('review-note-1')).toHaveValue('hedges where the abstract is clear');
  await expect(tagButton(page, 1, 2)).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('review-verdict-1-partly')).toHaveAttribute('aria-pressed', 'true');

  // End: the runs are revealed.
  await page.getByTestId('review-end').click();
  await expect(page.getByTestId('review-blind')).toContainText('revealed');
  await expect(page.getByTestId('review-runs')).toContainText('alpha run');
  await expect(page.getByTestId('review-runs')).toContainText('beta run');
  const labels = [await page.getByTestId('review-column-label-0').innerText(), await page.getByTestId('review-column-label-1').innerText()];
  expect(labels.sort()).toEqual(['alpha run', 'beta run'].sort().map((l) => expect.stringContaining(l)));
  await axe(page, 'revealed session');
  await shot(page, info, 'revealed-session');

  // Export (browser mode: into <data>/exports) and re-import into a fresh library: identical annotations.
  await page.getByTestId('review-export-name').fill('e2e-session');
  await page.getByTestId('review-export-json').click();
  await expect(page.getByTestId('review-written')).toContainText('Wrote 5 annotations');
  const exported = path.join(home, 'exports', 'e2e-session.json');
  expect(fs.existsSync(exported)).toBe(true);
  const fresh = tempHome();
  try {
    const { stdout } = await medtask(fresh, 'annotations', 'import', exported, '--json');
    expect(JSON.parse(stdout)).toMatchObject({ added: 5, conflicts: [] });
    const back = path.join(scratch, 'back.json');
    await medtask(fresh, 'annotations', 'export', '--format', 'json', '--out', back);
    const core = (f: string) =>
      (JSON.parse(fs.readFileSync(f, 'utf8')) as { annotations: Record<string, unknown>[] }).annotations.map((a) => ({
        item: a.itemKey,
        run: (a.run as { uid: string } | null)?.uid ?? null,
        reviewer: a.reviewer,
        tags: a.tags,
        verdict: a.verdict,
        severity: a.severity,
        note: a.note,
        fingerprint: a.fingerprint,
        updatedAt: a.updatedAt,
      }));
    const sort = (l: ReturnType<typeof core>) => [...l].sort((x, y) => `${x.item}${x.run}`.localeCompare(`${y.item}${y.run}`));
    expect(sort(core(back))).toEqual(sort(core(exported)));
    expect(core(exported).map((a) => a.reviewer)).toEqual(Array(5).fill('Dr Ada'));
  } finally {
    fs.rmSync(fresh, { recursive: true, force: true });
  }

  // The HTML report opens from the file with no request leaving it.
  await page.getByTestId('review-report').click();
  await expect(page.getByTestId('review-written')).toContainText('e2e-session-report.html');
  const report = path.join(home, 'exports', 'e2e-session-report.html');
  const reportPage = await page.context().newPage();
  const requests: string[] = [];
  reportPage.on('request', (r) => requests.push(r.url()));
  await reportPage.goto(pathToFileURL(report).href);
  await expect(reportPage.locator('h1')).toContainText('Comparison of 2 runs');
  await expect(reportPage.locator('body')).toContainText('hedges where the abstract is clear');
  await expect(reportPage.locator('body')).toContainText('adjusted by review');
  await expect(reportPage.locator('svg').first()).toBeVisible();
  expect(requests).toEqual([pathToFileURL(report).href]);
  await reportPage.screenshot({ path: info.outputPath('report.png'), fullPage: true });
  await info.attach('report', { path: info.outputPath('report.png'), contentType: 'image/png' });
  await reportPage.close();

  // The Compare view of the same runs shows the tags reviewers gave each run.
  await page.bringToFront();
  await page.keyboard.press('Control+4');
  await expect(page.getByTestId('compare-view')).toBeVisible();
  const picks = page.locator('[data-testid^="compare-pick-"]');
  await expect(picks).toHaveCount(2);
  for (let i = 0; i < 2; i++) await picks.nth(i).check();
  await page.getByTestId('compare-go').click();
  const tagCounts = page.getByTestId('review-tag-counts');
  await expect(tagCounts).toBeVisible();
  await expect(tagCounts.locator('thead')).toContainText('alpha run');
  await expect(tagCounts.locator('thead')).toContainText('beta run');
  const cells = (await tagCounts.locator('tbody td').allInnerTexts()).map(Number);
  // Five outputs were tagged above, some with more than one tag: every application is counted.
  expect(cells.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(5);
  await axe(page, 'compare with review tags');

  // Filter the rows by what reviewers said: "hallucinated finding" (hotkey 1) was given on items 1 and 2.
  const reviewFilters = page.getByTestId('compare-review-filters');
  await expect(reviewFilters).toBeVisible();
  await expect(page.getByTestId('filter-review-tag').locator('option', { hasText: 'hallucinated finding' })).toHaveText('hallucinated finding (2)');
  await page.getByTestId('filter-review-tag').selectOption('hallucinated finding');
  await expect(page.getByTestId('compare-shown')).toHaveText(`2 of ${N} items`);
  // Combined with harm at least moderate (item 2's first output had tag 1 and moderate), on the same output.
  await expect(page.getByTestId('filter-review-severity').locator('option[value="moderate"]')).toHaveText('at least moderate (1)');
  await page.getByTestId('filter-review-severity').selectOption('moderate');
  await expect(page.getByTestId('compare-shown')).toHaveText(`1 of ${N} items`);
  await shot(page, info, 'compare-review-filter');
  await axe(page, 'compare filtered by review');

  // A session started from these rows holds exactly them.
  await page.getByTestId('compare-review-rows').click();
  await expect(page.getByTestId('review-start-compare-view')).toContainText('the 1 rows the Compare view shows');
  await page.getByTestId('review-start-reviewer').fill('Dr Bea');
  await page.getByTestId('review-start-confirm').click();
  await expect(page.getByTestId('review-item')).toHaveAttribute('aria-label', 'Item 1 of 1');
  await page.keyboard.press('Control+4');
  await expect(page.getByTestId('compare-shown')).toHaveText(`1 of ${N} items`);

  // The leaderboard counts the tags per run x task and shows scores adjusted by review beside the automatic ones.
  await page.getByTestId('mode-leaderboard').click();
  const reviews = page.getByTestId('leaderboard-reviews');
  await expect(reviews).toBeVisible();
  await expect(reviews.locator('caption')).toContainText('Adjusted by review');
  await expect(reviews.locator('tbody tr')).toHaveCount(2);
  const tagText = (await reviews.getByTestId('lb-review-tags').allInnerTexts()).join(' ');
  expect(tagText).toContain('hallucinated finding');
  expect(tagText).toContain('format violation 1');
  await shot(page, info, 'leaderboard-review-counts');
  await axe(page, 'leaderboard with review counts');
});
