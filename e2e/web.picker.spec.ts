/**
 * The path pickers through the browser UI against the real engine: folders listed by the
 * engine, keyboard navigation, the extension filter, several files marked at once, quoting of
 * paths with spaces, errors shown in the picker, and the picked paths used by Import and Add.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { writeTinyModel } from '../test/tooling/tinyModel';
import { serve, SHARED_DATA, tempHome, type Served } from './fixtures';

const UNSEEN = path.join(SHARED_DATA, 'medinst32/unseen_tests');

let served: Served;
let home: string;
let scratch: string;

test.beforeAll(async () => {
  home = tempHome();
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'medtask-e2e-picker-'));
  // The real MedINST32 files under a folder whose name has a space: the picked paths must be quoted.
  fs.mkdirSync(path.join(scratch, 'medinst 32'));
  fs.symlinkSync(UNSEEN, path.join(scratch, 'medinst 32', 'unseen_tests'));
  fs.mkdirSync(path.join(scratch, 'models'));
  await writeTinyModel(path.join(scratch, 'models', 'tiny-5.gguf'), { seed: 5, layers: 2, embd: 64, heads: 4, kvHeads: 2, ff: 128 });
  fs.writeFileSync(path.join(scratch, 'models', 'README.txt'), 'where these models came from\n');
  fs.mkdirSync(path.join(scratch, '.cache'));
  served = await serve(home);
});

test.afterAll(async () => {
  await served?.stop();
  for (const dir of [home, scratch]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** Types a folder into the picker's path box and waits for its listing (the box holds the typed text at once). */
async function goTo(page: Page, folder: string): Promise<void> {
  const box = page.getByTestId('picker-path');
  // Type once the opening listing has landed: its answer sets the box, and under load it could
  // land between fill()'s select-all and its insert, leaving "<typed>/root" in the box.
  await expect(page.getByTestId('picker-list')).not.toHaveAttribute('aria-busy', 'true');
  await expect(box).not.toHaveValue('');
  await box.fill(folder);
  await box.press('Enter');
  const list = page.getByTestId('picker-list');
  await expect(list).toHaveAttribute('aria-label', `Contents of ${folder}`);
  await expect(list).not.toHaveAttribute('aria-busy', 'true');
}

const rowNames = (page: Page) => page.getByTestId('picker-row').locator('.picker-name').allInnerTexts();

test('Browse picks several data files by keyboard, quoted, and Import previews them', async ({ page }, info) => {
  const files = fs
    .readdirSync(UNSEEN)
    .filter((n) => n.endsWith('.json'))
    .sort((a, b) => a.localeCompare(b, undefined, { numeric: true, sensitivity: 'base' }));
  expect(files.length).toBeGreaterThanOrEqual(2);

  await page.goto(served.url);
  await page.getByTestId('import-browse').click();
  const picker = page.getByTestId('import-picker');
  await expect(picker).toBeVisible();
  await goTo(page, scratch);
  expect(await rowNames(page)).toEqual(['medinst 32/', 'models/']);

  // Enter opens the first folder, then its only one: the files are listed in name order.
  const list = page.getByTestId('picker-list');
  const folder = path.join(scratch, 'medinst 32', 'unseen_tests');
  await list.focus();
  await page.keyboard.press('Home');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('picker-path')).toHaveValue(path.join(scratch, 'medinst 32'));
  await list.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('picker-path')).toHaveValue(folder);
  expect(await rowNames(page)).toEqual(files);

  // Space marks the first two; Choose takes both.
  await list.focus();
  await page.keyboard.press('Home');
  await page.keyboard.press('Space');
  await page.keyboard.press('Space');
  await expect(page.getByTestId('picker-choose')).toHaveText('Choose 2 marked');
  await page.screenshot({ path: info.outputPath('path-picker.png') });
  await info.attach('path-picker', { path: info.outputPath('path-picker.png'), contentType: 'image/png' });
  // With entries marked, Enter takes them all, not the highlighted third file.
  await expect(page.getByTestId('picker-row').nth(2)).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Enter');
  await expect(picker).toHaveCount(0);
  const picked = files.slice(0, 2).map((f) => `"${path.join(folder, f)}"`);
  await expect(page.getByTestId('import-paths')).toHaveValue(picked.join(' '));
  await expect(page.getByTestId('import-paths')).toBeFocused();

  // The quoted paths import as typed ones would: the preview lists both files.
  await page.keyboard.press('Enter');
  const preview = page.getByTestId('import-preview');
  await expect(preview.getByTestId('preview-row')).toHaveCount(2);
  for (const f of files.slice(0, 2)) await expect(preview.getByTestId('preview-row').filter({ hasText: f.replace(/\.json$/, '') })).toHaveCount(1);
  await page.keyboard.press('Escape');
});

test('Browse in Models filters to .gguf, goes up with Backspace, and adds the picked model', async ({ page }) => {
  const modelsDir = path.join(scratch, 'models');
  await page.goto(served.url);
  await page.keyboard.press('Control+3');
  // The folder it remembers from last time has gone: it opens at home instead, without an error.
  await page.evaluate((gone) => localStorage.setItem('medtask.picker.models', gone), path.join(scratch, 'deleted-since'));
  await page.getByTestId('models-browse').click();
  await expect(page.getByTestId('models-picker')).toBeVisible();
  await expect(page.getByTestId('picker-path')).toHaveValue(os.homedir());
  await expect(page.getByTestId('picker-error')).toHaveCount(0);

  // A folder that is not there: the error names it and the listing shown stays.
  await goTo(page, scratch);
  const missing = path.join(scratch, 'no-such-folder');
  await page.getByTestId('picker-path').fill(missing);
  await page.getByTestId('picker-path').press('Enter');
  await expect(page.getByTestId('picker-error')).toContainText(`${missing}: no such folder`);
  expect(await rowNames(page)).toEqual(['medinst 32/', 'models/']);

  // Hidden folders (a .cache of downloaded models) show on request.
  await page.getByTestId('picker-hidden').check();
  await expect(page.getByTestId('picker-row')).toHaveCount(3);
  expect(await rowNames(page)).toEqual(['.cache/', 'medinst 32/', 'models/']);
  await page.getByTestId('picker-hidden').uncheck();
  await expect(page.getByTestId('picker-row')).toHaveCount(2);

  await goTo(page, modelsDir);
  await expect(page.getByTestId('picker-error')).toHaveCount(0);
  expect(await rowNames(page)).toEqual(['tiny-5.gguf']);
  await expect(page.getByTestId('picker-status')).toContainText('1 other file hidden');
  await page.getByTestId('picker-all-files').check();
  await expect(page.getByTestId('picker-row')).toHaveCount(2);
  await page.getByTestId('picker-all-files').uncheck();
  await expect(page.getByTestId('picker-row')).toHaveCount(1);
  // Enter on a checkbox is not the dialog's main action: the highlighted model is not picked.
  await page.getByTestId('picker-all-files').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('models-picker')).toBeVisible();

  // Backspace goes up with the cursor on the folder it came from; Enter goes back in.
  const list = page.getByTestId('picker-list');
  await list.focus();
  await page.keyboard.press('Backspace');
  await expect(page.getByTestId('picker-path')).toHaveValue(scratch);
  await expect(page.getByTestId('picker-row').filter({ hasText: 'models/' })).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('picker-path')).toHaveValue(modelsDir);

  // Enter on a file picks it.
  await list.focus();
  await page.keyboard.press('Home');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('models-picker')).toHaveCount(0);
  await expect(page.getByTestId('models-add-path')).toHaveValue(path.join(modelsDir, 'tiny-5.gguf'));
  await page.getByTestId('models-add').click();
  await expect(page.getByTestId('models-list').getByTestId('model-row')).toHaveCount(1);
  await expect(page.getByTestId('models-outcome')).toContainText('Added 1 file');

  // The picker reopens where it was; Escape closes it and gives the keyboard back to Browse.
  await page.getByTestId('models-browse').click();
  await expect(page.getByTestId('picker-path')).toHaveValue(modelsDir);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('models-picker')).toHaveCount(0);
  await expect(page.getByTestId('models-browse')).toBeFocused();
});

test('a folder with a file in no known layout: the error offers to skip it, and the rest imports', async ({ page }) => {
  const mixed = path.join(scratch, 'mixed');
  fs.mkdirSync(path.join(mixed, 'unseen_tests'), { recursive: true });
  fs.copyFileSync(path.join(UNSEEN, 'PubMedQA-labeled.json'), path.join(mixed, 'unseen_tests', 'PubMedQA-labeled.json'));
  fs.mkdirSync(path.join(mixed, 'notes'));
  const stray = path.join(mixed, 'notes', 'annotator-guidelines.json');
  fs.writeFileSync(stray, JSON.stringify({ version: 2, rules: ['mark disease mentions'] }));

  await page.goto(served.url);
  await page.getByTestId('import-browse').click();
  await goTo(page, mixed);
  await page.getByTestId('picker-choose-folder').click();
  await expect(page.getByTestId('import-paths')).toHaveValue(mixed);
  await page.getByTestId('import-button').click();

  // The import stops on the stray file and names it; nothing was written.
  await expect(page.getByTestId('import-error')).toContainText(`${stray}: unknown layout`);
  await page.getByTestId('import-skip-unknown').click();

  // The preview shows the benchmark file and, left out, the stray one.
  const preview = page.getByTestId('import-preview');
  const rows = preview.getByTestId('preview-row');
  await expect(rows).toHaveCount(2);
  await expect(rows.filter({ hasText: 'PubMedQA-labeled' })).toHaveCount(1);
  await expect(rows.filter({ hasText: 'annotator-guidelines.json' })).toContainText('left out: in no known layout');
  await expect(preview.getByTestId('preview-totals')).toHaveText(/^1 file → 1 split · 500 items/);
  await preview.getByTestId('preview-confirm').click();

  const result = page.getByTestId('import-result');
  await expect(result).toContainText('Imported 1 split · 500 items');
  await result.getByTestId('import-skipped').locator('summary').click();
  await expect(result.getByTestId('import-skipped')).toContainText(`${stray} — in no known layout`);
});
