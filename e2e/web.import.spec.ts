/**
 * Importing through the browser UI against the real engine: the preview before anything is
 * written, a column mapping for a file in no published layout, and instruction matches in
 * search. Counts are taken from the files here, independently of the app.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { medtask, serve, SHARED_DATA, tempHome, type Served } from './fixtures';

const MEDS_BENCH = path.join(SHARED_DATA, 'meds-bench');
const PUBMEDQA = path.join(SHARED_DATA, 'medinst32/unseen_tests/PubMedQA-labeled.json');

/** The MedS-Bench task files of the folder and their instance counts, read here. */
function medsBenchTasks(): { task: string; rows: number }[] {
  const out: { task: string; rows: number }[] = [];
  for (const category of fs.readdirSync(MEDS_BENCH)) {
    const dir = path.join(MEDS_BENCH, category);
    if (!fs.statSync(dir).isDirectory()) continue;
    for (const name of fs.readdirSync(dir).filter((n) => /^task\d+_.+\.json$/.test(n))) {
      const file = JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')) as { Instances: unknown[] };
      out.push({ task: name.replace(/\.json$/, ''), rows: file.Instances.length });
    }
  }
  return out.sort((a, b) => a.rows - b.rows);
}

function cleanup(dir: string | undefined): void {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
}

test.describe('import preview and column mapping', () => {
  let served: Served;
  let home: string;
  let scratch: string;

  test.beforeAll(async () => {
    home = tempHome();
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'medtask-e2e-csv-'));
    served = await serve(home);
  });

  test.afterAll(async () => {
    await served?.stop();
    cleanup(home);
    cleanup(scratch);
  });

  test('import shows a preview first, and writes only once it is confirmed', async ({ page }, info) => {
    const tasks = medsBenchTasks();
    expect(tasks.map((t) => t.rows)).toEqual([300, 500]);

    await page.goto(served.url);
    await expect(page.getByTestId('empty-library')).toBeVisible();
    await page.getByTestId('import-paths').fill(MEDS_BENCH);
    await page.getByTestId('import-button').click();

    const dialog = page.getByRole('dialog');
    await expect(dialog).toHaveAttribute('data-testid', 'import-preview');
    const rows = dialog.getByTestId('preview-row');
    await expect(rows).toHaveCount(2);
    for (const t of tasks) {
      const row = rows.filter({ hasText: t.task });
      await expect(row).toHaveCount(1);
      await expect(row.getByTestId('preview-rows')).toHaveText(t.rows.toLocaleString('en-US'));
      await expect(row).toContainText('meds-bench-task');
    }
    await expect(dialog.getByTestId('preview-totals')).toHaveText(/^2 files → 2 splits · 800 items/);
    await page.screenshot({ path: info.outputPath('import-preview.png') });
    await info.attach('import-preview', { path: info.outputPath('import-preview.png'), contentType: 'image/png' });

    // Focus stays in the dialog; Escape closes it without writing anything.
    await expect(dialog.getByTestId('preview-confirm')).toBeFocused();
    for (let i = 0; i < 4; i++) await page.keyboard.press('Tab');
    expect(await dialog.evaluate((el) => el.contains(document.activeElement))).toBe(true);
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('import-preview')).toHaveCount(0);
    await expect(page.getByTestId('import-paths')).toBeFocused();
    await expect(page.getByTestId('import-result')).toHaveCount(0);
    await expect(page.getByTestId('empty-library')).toBeVisible();

    // Enter in the paths box previews again; Enter in the dialog confirms.
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('import-preview').getByTestId('preview-row')).toHaveCount(2);
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('import-preview')).toHaveCount(0);
    const result = page.getByTestId('import-result');
    await expect(result).toContainText('Imported 2 splits · 800 items');
    // One line until asked: the table of splits opens with Show splits.
    await expect(result.getByTestId('import-result-table')).toHaveCount(0);
    await result.getByTestId('import-result-toggle').click();
    for (const t of tasks) await expect(result.locator('tr').filter({ hasText: t.task })).toContainText(String(t.rows));
    await page.getByTestId('benchmark-row').filter({ hasText: 'MedS-Bench' }).click();
    await expect(page.getByTestId('task-row')).toHaveCount(2);
  });

  test('Cancel during an import stops it and leaves the library as it was', async ({ page }) => {
    // A MedINST-shaped file big enough to take seconds: 300k records in one split.
    const dir = path.join(scratch, 'MedINST', 'Big-Cancel-Task');
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'train.jsonl');
    const fd = fs.openSync(file, 'w');
    for (let chunk = 0; chunk < 30; chunk++) {
      let text = '';
      for (let i = 0; i < 10_000; i++) {
        const n = chunk * 10_000 + i;
        text += `${JSON.stringify({ instruction: 'Classify the finding.', input: `Patient ${n} presents with a cough and a fever of ${n % 40} days; chest film pending.`, output: n % 2 ? 'infection' : 'other' })}\n`;
      }
      fs.writeSync(fd, text);
    }
    fs.closeSync(fd);

    await page.goto(served.url);
    // Count only once the list has loaded: a count taken while it is still loading reads 0.
    const loaded = page.locator('[data-testid="benchmark-list"][aria-busy="false"]').or(page.getByTestId('empty-library'));
    await expect(loaded).toBeVisible();
    const benchmarksBefore = await page.getByTestId('benchmark-row').count();
    await page.getByTestId('import-paths').fill(path.join(scratch, 'MedINST'));
    await page.getByTestId('import-button').click();
    const preview = page.getByTestId('import-preview');
    await expect(preview.getByTestId('preview-rows')).toHaveText('300,000', { timeout: 60_000 });
    await preview.getByTestId('preview-confirm').click();
    await expect(page.getByTestId('import-progress')).toBeVisible({ timeout: 20_000 });
    await page.getByTestId('import-cancel').click();
    await expect(page.getByTestId('import-error')).toContainText(/cancel/i, { timeout: 30_000 });
    await expect(page.getByTestId('import-button')).toBeEnabled();
    await page.reload();
    await expect(page.getByTestId('benchmark-row')).toHaveCount(benchmarksBefore);
    await expect(page.getByTestId('benchmark-row').filter({ hasText: /MedINST/ })).toHaveCount(0);
  });

  test('a file in no published layout can be imported with a column mapping', async ({ page }, info) => {
    const records = [
      { question: 'Which vitamin deficiency causes scurvy?', answer: 'Vitamin C' },
      { question: 'Is metformin a first-line drug for type 2 diabetes, in most adults?', answer: 'yes' },
    ];
    const csv = path.join(scratch, 'triage_questions.csv');
    const quote = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
    fs.writeFileSync(csv, ['question,answer', ...records.map((r) => `${quote(r.question)},${quote(r.answer)}`)].join('\n') + '\n');

    await page.goto(served.url);
    await page.getByTestId('import-paths').fill(csv);
    await page.getByTestId('import-button').click();
    const error = page.getByTestId('import-error');
    await expect(error).toContainText('unknown layout');
    await expect(error).toContainText(csv);
    await expect(page.getByTestId('import-preview')).toHaveCount(0);

    await page.getByTestId('import-map').click();
    const dialog = page.getByTestId('mapping-dialog');
    await expect(dialog).toBeVisible();
    await expect(dialog.getByTestId('map-input')).toBeFocused();
    await expect(dialog.getByTestId('map-benchmark')).toHaveValue('custom');
    await expect(dialog.getByTestId('map-split')).toHaveValue('test');
    await expect(dialog.getByTestId('map-task')).toHaveAttribute('placeholder', 'triage_questions');

    // The required columns are checked in the form, before the engine is asked.
    await dialog.getByTestId('mapping-import').click();
    await expect(dialog.getByTestId('field-error')).toHaveCount(2);
    await expect(dialog.getByTestId('map-input')).toHaveAttribute('aria-invalid', 'true');
    await expect(dialog.getByTestId('map-input')).toBeFocused();

    await dialog.getByTestId('map-input').fill('question');
    await dialog.getByTestId('map-output').fill('answer');
    await dialog.getByTestId('map-task').fill('triage-questions');
    await expect(dialog.getByTestId('field-error')).toHaveCount(0);

    await dialog.getByTestId('mapping-preview-button').click();
    const row = dialog.getByTestId('preview-row');
    await expect(row).toHaveCount(1);
    await expect(row).toContainText('triage-questions');
    await expect(row).toContainText('generic');
    await expect(row.getByTestId('preview-rows')).toHaveText(String(records.length));
    // The first records as the mapping reads them, to check the columns by eye.
    const sample = dialog.getByTestId('mapping-sample-row');
    await expect(sample).toHaveCount(Math.min(3, records.length));
    await expect(sample.first().locator('[data-field="input"]')).toHaveText(records[0]!.question.slice(0, 300));
    await expect(sample.first().locator('[data-field="output"]')).toHaveText(records[0]!.answer.slice(0, 300));
    await page.screenshot({ path: info.outputPath('mapping.png') });
    await info.attach('mapping', { path: info.outputPath('mapping.png'), contentType: 'image/png' });

    await dialog.getByTestId('mapping-import').click();
    await expect(page.getByTestId('mapping-dialog')).toHaveCount(0);
    const result = page.getByTestId('import-result');
    await expect(result).toContainText('triage-questions');
    await expect(result).toContainText(`Imported 1 split · ${records.length} items`);

    await page.getByTestId('benchmark-row').filter({ hasText: 'custom' }).click();
    await page.getByTestId('task-row').filter({ hasText: 'triage-questions' }).click();
    await expect(page.getByTestId('item-row')).toHaveCount(records.length);
    await page.getByTestId('item-row').first().click();
    await expect(page.getByTestId('item-view').getByTestId('item-input')).toHaveText(records[0]!.question);
    await expect(page.getByTestId('item-view').getByTestId('item-output')).toContainText(records[0]!.answer);
  });
});

test.describe('instruction matches in search', () => {
  let served: Served;
  let home: string;

  const records = fs
    .readFileSync(PUBMEDQA, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as { instruction: string; input: string; output: string });
  const instruction = records[0]!.instruction;

  /** A whole-word (or adjacent-words) match, as FTS5's unicode61 tokenizer sees it. */
  function occurs(text: string, words: string[]): boolean {
    const sep = '[^\\p{L}\\p{N}\\p{M}]+';
    return new RegExp(`(?<![\\p{L}\\p{N}\\p{M}])${words.join(sep)}(?![\\p{L}\\p{N}\\p{M}])`, 'iu').test(text);
  }
  const inItems = (words: string[]) => records.some((r) => occurs(r.input, words) || occurs(r.output, words));

  /**
   * A query that matches the instruction and no input or output: a word if one qualifies,
   * otherwise two adjacent words as a phrase (every single word of this instruction also
   * occurs in some item's text).
   */
  function instructionOnlyQuery(): { query: string; words: string[] } {
    const words = instruction.split(/[^\p{L}\p{N}\p{M}]+/u).filter((w) => w.length > 0);
    const word = words.find((w) => w.length > 3 && !inItems([w]));
    if (word) return { query: word, words: [word] };
    for (let i = 0; i + 1 < words.length; i++) {
      const pair = [words[i]!, words[i + 1]!];
      if (pair.every((w) => w.length > 3) && !inItems(pair)) return { query: `"${pair.join(' ')}"`, words: pair };
    }
    throw new Error(`no word or phrase of the instruction is absent from every input and output: ${instruction}`);
  }

  test.beforeAll(async () => {
    expect(new Set(records.map((r) => r.instruction)).size).toBe(1);
    home = tempHome();
    const { stdout } = await medtask(home, 'import', PUBMEDQA, '--json');
    const { splits } = JSON.parse(stdout) as { splits: { task: string; itemCount: number }[] };
    expect(splits).toEqual([expect.objectContaining({ task: 'PubMedQA-labeled', itemCount: 500 })]);
    served = await serve(home);
  });

  test.afterAll(async () => {
    await served?.stop();
    cleanup(home);
  });

  test('a query found only in an instruction lists it once with its task', async ({ page }, info) => {
    const { query, words } = instructionOnlyQuery();
    expect(occurs(instruction, words)).toBe(true);
    expect(inItems(words)).toBe(false);

    await page.goto(served.url);
    await expect(page.getByTestId('benchmark-row')).toHaveCount(1);
    await page.getByTestId('search-input').fill(query);

    const match = page.getByTestId('instruction-match');
    await expect(match).toHaveCount(1);
    await expect(page.getByTestId('search-summary')).toHaveText(/^0 matches · /);
    await expect(page.getByTestId('search-hit')).toHaveCount(0);
    const marks = (await match.locator('mark').allTextContents()).join(' ').toLowerCase();
    for (const w of words) expect(marks).toContain(w.toLowerCase());
    const task = match.getByTestId('instruction-task');
    await expect(task).toHaveCount(1);
    await expect(task).toContainText('PubMedQA-labeled');
    await expect(task).toContainText('500 items');
    await page.screenshot({ path: info.outputPath('instruction-match.png') });
    await info.attach('instruction-match', { path: info.outputPath('instruction-match.png'), contentType: 'image/png' });

    // Keyboard: from the box, ArrowDown reaches the task; Enter lists its items.
    await page.getByTestId('search-input').focus();
    await page.keyboard.press('ArrowDown');
    await expect(task).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('search-results')).toHaveCount(0);
    await expect(page.getByTestId('search-input')).toHaveValue('');
    await expect(page.getByTestId('task-row').filter({ hasText: 'PubMedQA-labeled' })).toHaveClass(/open/);
    await expect(page.getByTestId('item-list')).toBeVisible();
    await expect(page.getByTestId('item-row')).not.toHaveCount(0);
  });
});
