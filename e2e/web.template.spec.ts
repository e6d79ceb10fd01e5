/**
 * The New run dialog's prompt template editor against the real engine: Monaco (bundled, no
 * CDN) edits the template as JSON, and the live preview is the engine's own rendering of the
 * first PubMedQA item. No run is created, so no model is needed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { medtask, serve, SHARED_DATA, tempHome, type Served } from './fixtures';

const PUBMEDQA = path.join(SHARED_DATA, 'medinst32/unseen_tests_zs/PubMedQA-labeled.json');
const TASK = 'PubMedQA-labeled';

// The first record of the file (JSON lines), read independently of the app.
const first = JSON.parse(fs.readFileSync(PUBMEDQA, 'utf8').split('\n')[0]!) as { input: string; output: string };

const TEMPLATE = '{"strategy":"generic","k":0,"system":"You are a careful clinician.","user":"Q: {input}\\nA:"}';

let served: Served;
let home: string;

test.beforeAll(async () => {
  home = tempHome();
  const { stdout } = await medtask(home, 'import', PUBMEDQA, '--json');
  const { splits } = JSON.parse(stdout) as { splits: { task: string; itemCount: number }[] };
  expect(splits).toEqual([expect.objectContaining({ task: TASK, itemCount: 500 })]);
  served = await serve(home);
});

test.afterAll(async () => {
  await served?.stop();
  if (home) fs.rmSync(home, { recursive: true, force: true });
});

test('the template editor previews the prompt the engine would send, and flags bad JSON', async ({ page }) => {
  // Everything (Monaco, its workers, fonts) comes from the local host: the app works offline.
  const foreign: string[] = [];
  page.on('request', (req) => {
    const url = new URL(req.url());
    if (url.protocol === 'data:' || url.protocol === 'blob:') return;
    if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) foreign.push(req.url());
  });
  const pageErrors: string[] = [];
  page.on('pageerror', (err) => pageErrors.push(err.message));

  await page.goto(served.url);
  await expect(page.getByTestId('benchmark-row')).not.toHaveCount(0);
  await page.keyboard.press('Control+2');
  await expect(page.getByTestId('runs-view')).toBeVisible();

  await page.getByTestId('run-new').click();
  const dialog = page.getByTestId('run-dialog');
  await expect(dialog).toBeVisible();
  await dialog.getByTestId('run-task-filter').fill('pubmedqa');
  const option = dialog.getByTestId('run-task-option').filter({ hasText: TASK });
  await expect(option).toHaveCount(1);
  await option.getByRole('checkbox').check();

  // The editor starts from the Prompt fields, and the preview follows them.
  const editor = dialog.getByTestId('template-editor');
  await expect(editor.locator('.monaco-editor')).toBeVisible({ timeout: 20_000 });
  await expect(editor).toContainText('"strategy"');
  // JSON is highlighted (keys and strings get their own token classes): the JSON language is loaded.
  await expect.poll(() => editor.locator('.view-lines span[class^="mtk"]').evaluateAll((els) => new Set(els.map((e) => e.className)).size)).toBeGreaterThan(1);
  const preview = dialog.getByTestId('template-preview');
  const hash = dialog.getByTestId('template-hash');
  await expect(hash).toHaveText(/^[0-9a-f]{64}$/);
  const defaultHash = await hash.textContent();

  // Replace the JSON by keyboard, as a user would.
  await editor.locator('.monaco-editor .view-lines').click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(TEMPLATE);

  const system = preview.locator('[data-testid="template-message"][data-role="system"]');
  const user = preview.locator('[data-testid="template-message"][data-role="user"]');
  await expect(system).toHaveCount(1);
  await expect(system.locator('pre')).toHaveText('You are a careful clinician.');
  await expect(user).toHaveCount(1);
  const userText = await user.locator('pre').textContent();
  expect(userText!.startsWith(`Q: ${first.input}`)).toBe(true);
  expect(userText!.endsWith('\nA:')).toBe(true);
  await expect(hash).toHaveText(/^[0-9a-f]{64}$/);
  expect(await hash.textContent()).not.toBe(defaultHash);
  await expect(dialog.getByTestId('template-error')).toHaveCount(0);

  // Broken JSON: an inline error under the editor.
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText('{"strategy": "generic",');
  await expect(dialog.getByTestId('template-error')).toBeVisible();
  await expect(dialog.getByTestId('template-error')).toContainText(/JSON/);

  // The host's invalid_input (k out of range) shows there too.
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText('{"strategy":"generic","k":999}');
  await expect(dialog.getByTestId('template-error')).toBeVisible();

  // Back to valid JSON: the error goes and the preview returns.
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(TEMPLATE);
  await expect(dialog.getByTestId('template-error')).toHaveCount(0);
  await expect(system.locator('pre')).toHaveText('You are a careful clinician.');

  // Esc from the editor (no widget open) still closes the dialog.
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);

  expect(foreign).toEqual([]);
  expect(pageErrors).toEqual([]);
});
