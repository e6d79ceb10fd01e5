import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { medtask, serve, SHARED_DATA, tempHome, type Served } from './fixtures';

const PUBMEDQA = path.join(SHARED_DATA, 'medinst32/unseen_tests/PubMedQA-labeled.json');

// The first record of the real file, read independently of the app.
const first = JSON.parse(fs.readFileSync(PUBMEDQA, 'utf8').split('\n')[0]!) as {
  instruction: string;
  input: string;
  output: string;
  history: [string, string][];
};

let served: Served;
let home: string;

test.beforeAll(async () => {
  home = tempHome();
  const { stdout } = await medtask(home, 'import', PUBMEDQA, '--json');
  const splits = JSON.parse(stdout) as { task: string; itemCount: number }[];
  expect(splits).toEqual([expect.objectContaining({ task: 'PubMedQA-labeled', itemCount: 500, config: 'few-shot', split: 'test' })]);
  served = await serve(home);
});

test.afterAll(async () => {
  await served?.stop();
});

test('browse from benchmark to an item and read it', async ({ page }, info) => {
  await page.goto(served.url);
  await page.getByTestId('benchmark-row').filter({ hasText: 'MedINST32' }).click();
  await page.getByTestId('task-row').filter({ hasText: 'PubMedQA-labeled' }).click();
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
