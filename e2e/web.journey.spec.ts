import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { medtask, serve, SHARED_DATA, tempHome, type Served } from './fixtures';

const PUBMEDQA = path.join(SHARED_DATA, 'medinst32/unseen_tests/PubMedQA-labeled.json');
const MEQSUM = path.join(SHARED_DATA, 'meds-bench/Text_summarization/task114_meqsum_summarization.json');
const DEFINITIONS = path.join(SHARED_DATA, 'meds-ins/RewriteDefinitions.json');

// The first record of the real file, read independently of the app.
const first = JSON.parse(fs.readFileSync(PUBMEDQA, 'utf8').split('\n')[0]!) as {
  instruction: string;
  input: string;
  output: string;
  history: [string, string][];
};

// The MedS-Bench task and its MedS-Ins paraphrases, also read independently of the app.
const meqsum = JSON.parse(fs.readFileSync(MEQSUM, 'utf8')) as { Definition: string[]; 'Positive Examples': { output: string }[] };
const meqsumVariants =
  1 + (JSON.parse(fs.readFileSync(DEFINITIONS, 'utf8')) as Record<string, { auto_rewrite_def: string[] }>).task114!.auto_rewrite_def.length;

let served: Served;
let home: string;

test.beforeAll(async () => {
  home = tempHome();
  const { stdout } = await medtask(home, 'import', PUBMEDQA, '--json');
  const { splits } = JSON.parse(stdout) as { splits: { task: string; itemCount: number }[] };
  expect(splits).toEqual([expect.objectContaining({ task: 'PubMedQA-labeled', itemCount: 500, config: 'few-shot', split: 'test' })]);
  await medtask(home, 'import', MEQSUM, DEFINITIONS);
  served = await serve(home);
});

test.afterAll(async () => {
  await served?.stop();
});

test('browse from benchmark to an item and read it', async ({ page }, info) => {
  await page.goto(served.url);
  await page.getByTestId('benchmark-row').filter({ hasText: 'MedINST32' }).click();
  await page.getByTestId('task-row').filter({ hasText: 'PubMedQA-labeled' }).click();
  // The open task's details come first; MedINST32 scores PubMedQA-labeled as classification.
  await expect(page.getByTestId('task-detail').getByTestId('task-metric')).toContainText('Label macro-F1');
  await expect(page.getByTestId('item-row')).not.toHaveCount(0);
  await page.getByTestId('item-row').first().click();

  const view = page.getByTestId('item-view');
  await expect(view.getByTestId('item-instruction')).toHaveText(first.instruction);
  await expect(view.getByTestId('item-input')).toHaveText(first.input);
  await expect(view.getByTestId('item-output')).toContainText(first.output);
  const turns = view.getByTestId('history-turn');
  await expect(turns).toHaveCount(first.history.length * 2);
  await expect(turns.nth(0)).toHaveAttribute('data-role', 'user');
  await expect(turns.nth(1)).toHaveAttribute('data-role', 'assistant');
  await expect(turns.nth(1)).toContainText(first.history[0]![1]);

  await page.screenshot({ path: info.outputPath('item-view.png'), fullPage: true });
  await info.attach('item-view', { path: info.outputPath('item-view.png'), contentType: 'image/png' });
});

test('a task shows its definition, metrics, variants, examples and provenance', async ({ page }, info) => {
  await page.goto(served.url);
  await page.getByTestId('benchmark-row').filter({ hasText: 'MedS-Bench' }).click();
  // From the keyboard: Home moves onto the (only) task, Enter opens it.
  const tasks = page.getByTestId('task-list');
  await expect(page.getByTestId('task-row')).toHaveCount(1);
  await tasks.focus();
  await tasks.press('Home');
  await expect(page.getByTestId('task-row').filter({ hasText: 'task114_meqsum_summarization' })).toHaveAttribute('aria-selected', 'true');
  await tasks.press('Enter');

  const detail = page.getByTestId('task-detail');
  await expect(detail.getByTestId('task-definition')).toHaveText(meqsum.Definition[0]!);
  await expect(detail.getByTestId('task-metric')).toContainText('BLEU-1');
  await expect(detail.getByTestId('task-metric')).toContainText('ROUGE-L');
  await expect(detail.getByTestId('task-languages')).toHaveText('English');
  await expect(detail.getByTestId('task-variants')).toContainText(`${meqsumVariants}, first 50 shown`);
  await expect(detail.getByTestId('task-examples')).toContainText(meqsum['Positive Examples'][0]!.output);
  const provenance = detail.getByTestId('task-provenance').getByTestId('provenance-row');
  await expect(provenance).toHaveCount(2);
  await expect(provenance.first()).toContainText('task114_meqsum_summarization.json');
  await expect(provenance.nth(1)).toContainText('RewriteDefinitions.json');
  await page.screenshot({ path: info.outputPath('task-detail.png'), fullPage: true });
  await info.attach('task-detail', { path: info.outputPath('task-detail.png'), contentType: 'image/png' });

  // Opening an item shows it in the same pane; the Task tab (arrow keys) brings the details back.
  await page.getByTestId('item-row').first().click();
  await expect(page.getByTestId('item-view')).toBeVisible();
  await expect(page.getByTestId('task-detail')).toHaveCount(0);
  await page.getByTestId('detail-tab-item').focus();
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByTestId('detail-tab-task')).toBeFocused();
  await expect(page.getByTestId('task-detail').getByTestId('task-definition')).toHaveText(meqsum.Definition[0]!);
});

test('import from the UI shows progress and the result, then the task is browsable', async ({ page }) => {
  await page.goto(served.url);
  const ncbi = path.join(SHARED_DATA, 'medinst32/unseen_tests_zs/NCBI-disease.json');
  await page.getByTestId('import-paths').fill(ncbi);
  await page.getByTestId('import-button').click();
  // Import first previews what the paths hold; nothing is written until it is confirmed.
  await expect(page.getByTestId('import-preview').getByTestId('preview-row')).toHaveCount(1);
  await page.getByTestId('preview-confirm').click();
  await expect(page.getByTestId('import-result')).toContainText('NCBI-disease');
  await expect(page.getByTestId('import-result')).toContainText('120');
  await page.getByTestId('benchmark-row').filter({ hasText: 'MedINST32' }).click();
  await expect(page.getByTestId('task-row').filter({ hasText: 'NCBI-disease' })).toBeVisible();
});

test('a bad path is reported where the import happened', async ({ page }) => {
  await page.goto(served.url);
  await page.getByTestId('import-paths').fill('/nonexistent/Task.json');
  await page.getByTestId('import-button').click();
  await expect(page.getByTestId('import-error')).toContainText('/nonexistent/Task.json');
  // The preview failed, so there is nothing to confirm.
  await expect(page.getByTestId('import-preview')).toHaveCount(0);
});

test('the web host refuses requests without the token', async ({ request }) => {
  const res = await request.post(`${served.origin}/api/call/listBenchmarks`, { data: {} });
  expect(res.status()).toBe(401);
  const page = await request.get(`${served.origin}/`);
  expect(page.status()).toBe(401);
  const ok = await request.post(`${served.origin}/api/call/listBenchmarks`, {
    data: {},
    headers: { authorization: `Bearer ${served.token}` },
  });
  expect(ok.status()).toBe(200);
  const body = (await ok.json()) as { ok: boolean; value: { name: string; itemCount: number }[] };
  expect(body.value.find((b) => b.name === 'medinst32')?.itemCount).toBeGreaterThanOrEqual(500);
});

test('the web host validates input at the boundary', async ({ request }) => {
  const res = await request.post(`${served.origin}/api/call/pageItems`, {
    data: { taskId: 'one', limit: 5000 },
    headers: { authorization: `Bearer ${served.token}` },
  });
  expect(res.status()).toBe(400);
  const body = (await res.json()) as { ok: boolean; error: { code: string; message: string } };
  expect(body.error.code).toBe('invalid_input');
  expect(body.error.message).toMatch(/taskId/);
  expect(body.error.message).toMatch(/limit/);
});

test('an unknown task is a not_found error, like an unknown item', async ({ request }) => {
  const res = await request.post(`${served.origin}/api/call/getTask`, {
    data: { taskId: 999_999 },
    headers: { authorization: `Bearer ${served.token}` },
  });
  expect(res.status()).toBe(404);
  const body = (await res.json()) as { ok: boolean; error: { code: string; message: string } };
  expect(body.error).toMatchObject({ code: 'not_found', message: 'no task with id 999999' });
});
