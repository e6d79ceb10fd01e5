/**
 * Benchmark runs through the browser UI against the real engine: a tiny deterministic GGUF
 * model, generated here, answers four PubMedQA items; the run is watched, opened, exported
 * and its MedINST32 export imported back as predictions. Expectations come from the files.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { writeTinyLora, writeTinyModel } from '../test/tooling/tinyModel';
import { medtask, serve, SHARED_DATA, tempHome, type Served } from './fixtures';

const PUBMEDQA = path.join(SHARED_DATA, 'medinst32/unseen_tests_zs/PubMedQA-labeled.json');
const TASK = 'PubMedQA-labeled';

// The first record of the file, read independently of the app.
const first = JSON.parse(fs.readFileSync(PUBMEDQA, 'utf8').split('\n')[0]!) as { input: string; output: string };

/** Records in a CSV text: line ends outside quoted fields (quoted fields may hold newlines). */
function csvRecords(text: string): number {
  let records = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') quoted = !quoted;
    else if (ch === '\n' && !quoted) records += 1;
  }
  return text.length > 0 && !text.endsWith('\n') ? records + 1 : records;
}

const TINY_7 = { seed: 7, layers: 2, embd: 64, heads: 4, kvHeads: 2, ff: 128, contextLength: 8192 };

let served: Served;
let home: string;
let scratch: string;
let model: string;

test.beforeAll(async () => {
  home = tempHome();
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'medtask-e2e-runs-'));
  model = path.join(scratch, 'tiny-7.gguf');
  await writeTinyModel(model, TINY_7);
  const { stdout } = await medtask(home, 'import', PUBMEDQA, '--json');
  const { splits } = JSON.parse(stdout) as { splits: { task: string; itemCount: number }[] };
  expect(splits).toEqual([expect.objectContaining({ task: TASK, itemCount: 500 })]);
  served = await serve(home);
});

test.afterAll(async () => {
  await served?.stop();
  for (const dir of [home, scratch]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** Opens the new-run dialog with PubMedQA-labeled chosen and the tiny model's settings filled in. */
async function fillNewRun(page: Page, modelPath: string, limit: number) {
  await page.getByTestId('run-new').click();
  const dialog = page.getByTestId('run-dialog');
  await expect(dialog).toBeVisible();
  await dialog.getByTestId('run-task-filter').fill('pubmedqa');
  const option = dialog.getByTestId('run-task-option').filter({ hasText: TASK });
  await expect(option).toHaveCount(1);
  await option.getByRole('checkbox').check();
  await dialog.getByTestId('run-model-path').fill(modelPath);
  await dialog.getByTestId('run-threads').fill('1');
  await dialog.getByTestId('run-context-size').fill('8192');
  await dialog.getByTestId('run-max-tokens').fill('8');
  await dialog.getByTestId('run-selection-mode').selectOption('limit');
  await dialog.getByTestId('run-limit').fill(String(limit));
  await expect(dialog.getByTestId('run-selection-summary')).toContainText(`1 task · ${limit} items`);
  return dialog;
}

test('a run made in the UI shows progress, its items, prompts and scores, and exports', async ({ page }, info) => {
  await page.goto(served.url);
  await expect(page.getByTestId('benchmark-row')).not.toHaveCount(0);
  await page.keyboard.press('Control+2');
  await expect(page.getByTestId('runs-view')).toBeVisible();
  await expect(page.getByTestId('view-tab-runs')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('runs-empty')).toBeVisible();

  const dialog = await fillNewRun(page, model, 4);
  await dialog.getByTestId('run-chat-template').selectOption('chatML');
  // A budget far below these few-shot prompts, cut from the start: every item says what was cut.
  await dialog.getByTestId('run-truncate').selectOption('keep-end');
  await dialog.getByTestId('run-max-prompt-tokens').fill('256');
  // Every progress bar that ever appears is noted, however short the run.
  await page.evaluate(() => {
    const w = window as unknown as { sawProgress: boolean };
    w.sawProgress = false;
    new MutationObserver(() => {
      if (document.querySelector('[data-testid="run-progress"]')) w.sawProgress = true;
    }).observe(document.body, { childList: true, subtree: true, attributes: true });
  });
  await page.screenshot({ path: info.outputPath('run-dialog.png') });
  await info.attach('run-dialog', { path: info.outputPath('run-dialog.png'), contentType: 'image/png' });
  await dialog.getByTestId('run-create').click();
  // Start checks the prompts first (the model's tokenizer is opened for that), then closes.
  await expect(page.getByTestId('run-dialog')).toHaveCount(0, { timeout: 30_000 });

  const row = page.getByTestId('runs-list').getByTestId('run-row');
  await expect(row).toHaveCount(1);
  await expect(row).toHaveAttribute('data-status', 'done', { timeout: 45_000 });
  await expect(row.getByTestId('run-counts')).toHaveText('4/4');
  await expect(row.getByTestId('run-model')).toHaveText('tiny-7.gguf');
  expect(await page.evaluate(() => (window as unknown as { sawProgress: boolean }).sawProgress)).toBe(true);
  await expect(row.getByTestId('run-headline')).toContainText('labelMacroF1');

  // The new run is open: its items, each with an output.
  const detail = page.getByTestId('run-detail');
  await expect(detail.getByTestId('run-detail-status')).toHaveText('done');
  await expect(detail.getByTestId('run-hardware')).toContainText('backend');
  await expect(detail.getByTestId('run-template-hash')).not.toBeEmpty();
  const items = page.getByTestId('run-items').getByTestId('run-item');
  await expect(items).toHaveCount(4);
  for (let i = 0; i < 4; i++) {
    await expect(items.nth(i)).toHaveAttribute('data-status', 'done');
    await expect(items.nth(i).getByTestId('run-item-output-line')).toHaveText(/\S/);
  }
  await items.first().click();
  // Cut from the start to 256 tokens: the prompt ends with the item's own input.
  await expect(page.getByTestId('run-item-prompt')).toContainText(first.input.slice(-40));
  // Rendered with the chat template chosen in the dialog, which the run records.
  await expect(page.getByTestId('run-item-prompt')).toContainText('<|im_start|>');
  await expect(detail.getByTestId('run-hardware')).toContainText('chatML');
  await expect(detail.getByTestId('run-detail-items')).toContainText('4 prompts cut to fit');
  await expect(page.getByTestId('run-item-meta')).toContainText(/cut \d+ prompt tokens/);
  await expect(page.getByTestId('run-item-output')).toHaveText(/\S/);
  await expect(page.getByTestId('run-item-gold')).toHaveText(first.output);

  const scores = page.getByTestId('run-scores');
  const scoreRow = scores.getByTestId('run-score-row').filter({ hasText: TASK });
  await expect(scores).toContainText('labelMacroF1');
  const f1 = (await scoreRow.locator('[data-metric="labelMacroF1"]').textContent()) ?? '';
  expect(f1).toMatch(/^\d\.\d{4}$/);
  await page.screenshot({ path: info.outputPath('run-detail.png') });
  await info.attach('run-detail', { path: info.outputPath('run-detail.png'), contentType: 'image/png' });

  // Export the items as CSV, then as MedINST32 results JSON.
  const csv = path.join(scratch, 'items.csv');
  await row.getByTestId('run-export').click();
  const exp = page.getByTestId('run-export-dialog');
  await exp.getByTestId('run-export-format').selectOption('items-csv');
  await exp.getByTestId('run-export-path').fill(csv);
  await exp.getByTestId('run-export-confirm').click();
  await expect(exp.getByTestId('run-export-file')).toHaveText(csv);
  // The same file again is refused until "replace" is ticked: the engine never overwrites unasked.
  await exp.getByTestId('run-export-confirm').click();
  await expect(exp.getByTestId('run-export-error')).toContainText('already exists');
  await exp.getByTestId('run-export-overwrite').check();
  await exp.getByTestId('run-export-confirm').click();
  await expect(exp.getByTestId('run-export-file')).toHaveText(csv);
  const text = fs.readFileSync(csv, 'utf8');
  expect(text.split('\r\n')[0]).toBe(
    'ord,benchmark,task,index,status,input,gold,output,extracted,prompt_tokens,output_tokens,latency_ms,ttft_ms,error,truncated_tokens',
  );
  expect(csvRecords(text)).toBe(5);
  expect(text).toContain(TASK);

  // This time the folder comes from the picker (a dialog over the dialog); the file name typed stays.
  const json = path.join(scratch, 'medinst32-results.json');
  await exp.getByTestId('run-export-format').selectOption('medinst32-json');
  await exp.getByTestId('run-export-path').fill('medinst32-results.json');
  await exp.getByTestId('run-export-browse').click();
  const folderPicker = page.getByTestId('export-picker');
  await folderPicker.getByTestId('picker-path').fill(scratch);
  await folderPicker.getByTestId('picker-path').press('Enter');
  await expect(folderPicker.getByTestId('picker-row').filter({ hasText: 'items.csv' })).toHaveCount(1);
  await folderPicker.getByTestId('picker-choose-folder').click();
  await expect(folderPicker).toHaveCount(0);
  await expect(exp.getByTestId('run-export-path')).toHaveValue(json);
  await exp.getByTestId('run-export-confirm').click();
  await expect(exp.getByTestId('run-export-file')).toHaveText(json);
  expect(fs.existsSync(json)).toBe(true);
  await exp.getByTestId('run-export-close').click();
  await expect(exp).toHaveCount(0);

  // The export comes back as a run of imported predictions with the same score.
  await page.getByTestId('runs-import').click();
  const imp = page.getByTestId('runs-import-dialog');
  // Picked by keyboard: Enter in the picker's list picks the file and must not also submit the dialog below.
  await imp.getByTestId('runs-import-browse').click();
  const filePicker = page.getByTestId('predictions-picker');
  await filePicker.getByTestId('picker-path').fill(scratch);
  await filePicker.getByTestId('picker-path').press('Enter');
  // Tab stays inside the picker: the dialog below must not pull focus back into itself.
  for (let i = 0; i < 3; i++) {
    await page.keyboard.press('Tab');
    expect(await filePicker.evaluate((el) => el.contains(document.activeElement))).toBe(true);
  }
  await expect(filePicker.getByTestId('picker-row').filter({ hasText: 'medinst32-results.json' })).toHaveCount(1);
  await filePicker.getByTestId('picker-list').focus();
  await page.keyboard.press('End');
  await expect(filePicker.getByTestId('picker-row').last()).toHaveAttribute('aria-selected', 'true');
  await expect(filePicker.getByTestId('picker-row').last()).toContainText('medinst32-results.json');
  await page.keyboard.press('Enter');
  await expect(filePicker).toHaveCount(0);
  await expect(imp.getByTestId('runs-import-path')).toHaveValue(json);
  // Had the Enter reached the form below, it would have submitted the empty path and shown "Required".
  await expect(imp).toBeVisible();
  await expect(imp.getByTestId('field-error')).toHaveCount(0);
  await expect(imp.getByTestId('runs-import-path')).not.toHaveAttribute('aria-invalid', 'true');
  await imp.getByTestId('runs-import-confirm').click();
  await expect(imp).toHaveCount(0);
  const imported = page.locator('[data-testid="run-row"][data-kind="imported"]');
  await expect(imported).toHaveCount(1);
  await expect(imported).toHaveAttribute('data-status', 'done');
  await expect(imported.getByTestId('run-counts')).toHaveText('4/4');
  await expect(page.getByTestId('runs-list').getByTestId('run-row')).toHaveCount(2);
  const importedScore = page.getByTestId('run-scores').getByTestId('run-score-row').filter({ hasText: TASK }).locator('[data-metric="labelMacroF1"]');
  await expect(importedScore).toHaveText(f1);
  await expect(page.getByTestId('run-items').getByTestId('run-item')).toHaveCount(4);
});

test('a missing model file gives a failed run that names the file', async ({ page }) => {
  await page.goto(served.url);
  await page.getByTestId('view-tab-runs').click();
  const missing = path.join(scratch, 'no-such-model.gguf');
  const dialog = await fillNewRun(page, missing, 2);
  await dialog.getByTestId('run-create').click();
  // The pre-flight cannot open the model: it says so and names the file; Start anyway makes the run.
  await expect(dialog.getByTestId('run-preflight')).toHaveAttribute('data-state', 'failed', { timeout: 30_000 });
  await expect(dialog.getByTestId('run-preflight')).toContainText('no-such-model.gguf');
  await expect(dialog.getByTestId('run-create')).toHaveText('Start anyway');
  await dialog.getByTestId('run-create').click();
  await expect(page.getByTestId('run-dialog')).toHaveCount(0, { timeout: 30_000 });
  const row = page.getByTestId('run-row').filter({ hasText: 'no-such-model.gguf' });
  await expect(row).toHaveAttribute('data-status', 'failed', { timeout: 30_000 });
  await expect(row.getByTestId('run-error')).toContainText('no-such-model.gguf');
  await expect(page.getByTestId('run-detail-error')).toContainText(missing);
  await expect(row.getByTestId('run-resume')).toBeEnabled();
});

test('settings the engine refuses are shown at their fields', async ({ page }) => {
  await page.goto(served.url);
  await page.getByTestId('view-tab-runs').click();
  await page.getByTestId('run-new').click();
  const dialog = page.getByTestId('run-dialog');
  // Nothing chosen: the form says so before asking the engine.
  await dialog.getByTestId('run-create').click();
  await expect(dialog.locator('[data-testid="field-error"][data-field="tasks"]')).toBeVisible();
  await expect(dialog.locator('[data-testid="field-error"][data-field="modelPath"]')).toBeVisible();

  await dialog.getByTestId('run-task-option').filter({ hasText: TASK }).getByRole('checkbox').check();
  await dialog.getByTestId('run-model-path').fill(model);
  await dialog.getByTestId('run-threads').fill('0');
  await dialog.getByTestId('run-max-tokens').fill('999999');
  await dialog.getByTestId('run-create').click();
  // The engine's invalid_input names model.threads and decoding.maxTokens; each shows at its field.
  await expect(dialog.locator('[data-testid="field-error"][data-field="threads"]')).toBeVisible({ timeout: 15_000 });
  await expect(dialog.locator('[data-testid="field-error"][data-field="maxTokens"]')).toBeVisible();
  await expect(page.getByTestId('run-dialog')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('run-dialog')).toHaveCount(0);

  // Ctrl+1 goes back to the library.
  await page.keyboard.press('Control+1');
  await expect(page.getByTestId('benchmark-row')).not.toHaveCount(0);
});

test('a saved configuration fills the run: its model, its adapter and scale, and its load settings', async ({ page }) => {
  const lora = path.join(scratch, 'tiny-7-lora.gguf');
  await writeTinyLora(lora, TINY_7, { seed: 3, rank: 4, alpha: 8 });
  await medtask(home, 'models', 'add', model, lora);
  await medtask(
    home,
    'models',
    'config',
    'add',
    'half-lora',
    '--model',
    model,
    '--lora',
    `${lora}@0.5`,
    '--threads',
    '1',
    '--context-size',
    '8192',
    '--batch-size',
    '256',
    '--flash-attention',
    'off',
  );
  const configs = JSON.parse((await medtask(home, 'models', 'config', 'list', '--json')).stdout) as { id: number; name: string }[];
  const config = configs.find((c) => c.name === 'half-lora')!;

  await page.goto(served.url);
  await page.getByTestId('view-tab-runs').click();
  await page.getByTestId('run-new').click();
  const dialog = page.getByTestId('run-dialog');
  await dialog.getByTestId('run-task-option').filter({ hasText: TASK }).getByRole('checkbox').check();
  const pick = dialog.getByTestId('run-library-model');
  await expect(pick.locator('optgroup[label="Configurations"] option')).toHaveText([/half-lora: .* \+ .*×0\.5/]);
  await expect(pick.locator('optgroup[label="Models"] option')).toHaveCount(1);
  await pick.selectOption(`config:${config.id}`);
  await expect(dialog.getByTestId('run-model-path')).toHaveValue(model);
  await expect(dialog.getByTestId('run-lora-path')).toHaveValue(lora);
  await expect(dialog.getByTestId('run-lora-scale')).toHaveValue('0.5');
  await expect(dialog.getByTestId('run-threads')).toHaveValue('1');
  await expect(dialog.getByTestId('run-context-size')).toHaveValue('8192');
  await expect(dialog.getByTestId('run-batch-size')).toHaveValue('256');
  await expect(dialog.getByTestId('run-flash-attention')).toHaveValue('off');

  // Typed over, the fields are no longer that configuration, and the picker says so.
  await dialog.getByTestId('run-threads').fill('2');
  await expect(pick).toHaveValue('');
  await expect(pick.locator('option').first()).toHaveText('edited by hand');
  await pick.selectOption(`config:${config.id}`);
  await expect(dialog.getByTestId('run-threads')).toHaveValue('1');

  await dialog.getByTestId('run-max-tokens').fill('8');
  await dialog.getByTestId('run-selection-mode').selectOption('limit');
  await dialog.getByTestId('run-limit').fill('2');
  await dialog.getByTestId('run-create').click();
  // Start checks the prompts first (the model's tokenizer is opened for that), then closes.
  await expect(page.getByTestId('run-dialog')).toHaveCount(0, { timeout: 30_000 });

  const row = page.getByTestId('run-row').filter({ hasText: 'tiny-7-lora.gguf' });
  await expect(row).toHaveAttribute('data-status', 'done', { timeout: 45_000 });
  // The run records what the configuration brought.
  const hardware = page.getByTestId('run-detail').getByTestId('run-hardware');
  await expect(hardware).toContainText('tiny-7-lora.gguf');
  await expect(hardware.locator('.fact').filter({ hasText: /^batchSize/ })).toContainText('256');
  await expect(hardware.locator('.fact').filter({ hasText: /^flashAttention/ })).toContainText('false');
  await expect(hardware.locator('.fact').filter({ hasText: /^loras/ })).toContainText('0.5');
});
