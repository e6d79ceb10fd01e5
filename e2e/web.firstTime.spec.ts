/**
 * What a first-time user tripped over (issue 14), in Chromium against the real web host and core:
 * import counts that agree between preview and result, and a result that stays one line; a LoRA
 * saved on the wrong base says so, and removing a configuration asks first and can be undone from
 * the keyboard; the export dialog keeps focus and Esc after writing; muted text readable (axe).
 */
import fs from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page, type TestInfo } from '@playwright/test';
import type { ModelConfig, ModelList } from '../src/shared';
import { writeTinyLora, writeTinyModel } from '../test/tooling/tinyModel';
import { medtask, SHARED_DATA, type Served } from './fixtures';
import { setupRuns, TINY, type RunWorkspace } from './runSetup';

const MEDINST = path.join(SHARED_DATA, 'medinst32');

let ws: RunWorkspace;
let served: Served;
let home: string;

test.beforeAll(async () => {
  test.setTimeout(300_000);
  // One imported predictions run (for the export dialog and the runs list).
  ws = await setupRuns({ prefix: 'first', items: 6, published: { right: 4 } });
  ({ served, home } = ws);
  // Two same-shaped models and a LoRA whose metadata names the first: it fits both, belongs to one.
  const files = { a: path.join(ws.scratch, 'a.gguf'), b: path.join(ws.scratch, 'b.gguf'), lora: path.join(ws.scratch, 'lora.gguf') };
  await writeTinyModel(files.a, { ...TINY, seed: 7, name: 'tiny-a' });
  await writeTinyModel(files.b, { ...TINY, seed: 9, name: 'tiny-b' });
  await writeTinyLora(files.lora, { ...TINY, seed: 7 }, { seed: 3, baseModelName: 'tiny-a' });
  await medtask(home, 'models', 'add', files.a, files.b, files.lora);
  await medtask(home, 'models', 'config', 'add', 'lora-on-b', '--model', files.b, '--lora', files.lora);
  await medtask(home, 'models', 'config', 'add', 'lora-on-a', '--model', files.a, '--lora', files.lora);
});

test.afterAll(async () => {
  await ws?.stop();
});

async function noSeriousAxe(page: Page, what: string, include?: string) {
  const builder = new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']);
  const results = await (include ? builder.include(include) : builder).analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(
    bad.map(
      (v) =>
        `${what}: ${v.id} (${v.impact}) ${v.nodes
          .map((n) => `${n.target.join(' ')} ${n.failureSummary ?? ''}`)
          .slice(0, 3)
          .join(' | ')}`,
    ),
  ).toEqual([]);
}

async function shot(page: Page, info: TestInfo, name: string) {
  await page.screenshot({ path: info.outputPath(`${name}.png`) });
  await info.attach(name, { path: info.outputPath(`${name}.png`), contentType: 'image/png' });
}

test('import: preview and result count the same units, the result is one line that opens and dismisses', async ({ page }, info) => {
  await page.goto(served.url);
  await page.getByTestId('import-paths').fill(MEDINST);
  await page.getByTestId('import-button').click();
  const preview = page.getByTestId('import-preview');
  // Hallmarks-of-Cancer, NCBI-disease and PubMedQA-labeled, each as few-shot and zero-shot (150 + 120 + 500) × 2.
  await expect(preview.getByTestId('preview-totals')).toHaveText('6 files → 6 splits of 3 tasks · 1,540 items');
  const copies = preview.getByTestId('preview-copies');
  await expect(copies).toContainText('come as few-shot and zero-shot splits');
  const copiesText = await copies.textContent();
  await expect(preview.locator('th').filter({ hasText: /^Items$/ })).toHaveCount(1);
  await shot(page, info, 'import-preview-counts');
  await noSeriousAxe(page, 'import preview');
  await expect(preview.getByTestId('preview-confirm')).toBeFocused();
  await page.keyboard.press('Enter');

  const result = page.getByTestId('import-result');
  await expect(result.getByTestId('import-result-summary')).toContainText('Imported 6 splits of 3 tasks · 1,540 items');
  await expect(result.getByTestId('import-result-copies')).toHaveText(copiesText!);
  // One line until asked: no table, and a small box.
  await expect(result.getByTestId('import-result-table')).toHaveCount(0);
  const viewport = page.viewportSize()!;
  const closed = (await result.boundingBox())!;
  expect(closed.height).toBeLessThan(80);
  await shot(page, info, 'import-result-collapsed');

  const toggle = result.getByTestId('import-result-toggle');
  await expect(toggle).toHaveText('Show 6 splits');
  await toggle.focus();
  await page.keyboard.press('Enter');
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  await expect(result.getByTestId('import-result-table').locator('tbody tr')).toHaveCount(6);
  const open = (await result.boundingBox())!;
  expect(open.height).toBeLessThan(viewport.height / 3);
  await shot(page, info, 'import-result-open');
  await noSeriousAxe(page, 'import result');

  // Esc from inside the result (focus on its toggle) dismisses it.
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('import-result')).toHaveCount(0);
});

test('models: a LoRA on the wrong base is flagged; Remove asks first and Undo brings the configuration back', async ({ page }, info) => {
  await page.goto(served.url);
  await page.keyboard.press('Control+3');
  await expect(page.getByTestId('view-tab-models')).toHaveAttribute('aria-selected', 'true');
  const rows = page.getByTestId('model-configs').getByTestId('model-config-row');
  await expect(rows).toHaveCount(2);
  const onB = rows.filter({ hasText: 'lora-on-b' });
  const onA = rows.filter({ hasText: 'lora-on-a' });
  await expect(onB.getByTestId('adapter-base-warning')).toContainText('was made for “tiny-a”');
  await expect(onB.getByTestId('adapter-base-warning')).toContainText('not “tiny-b”');
  await expect(onA.getByTestId('adapter-base-warning')).toHaveCount(0);
  await shot(page, info, 'models-config-warning');
  await noSeriousAxe(page, 'models view');

  // Remove asks; Esc keeps it and gives focus back to Remove.
  const remove = onB.getByTestId('model-config-remove');
  await remove.focus();
  await page.keyboard.press('Enter');
  await expect(onB.getByTestId('model-config-remove-confirm')).toBeFocused();
  await shot(page, info, 'models-config-confirm');
  await page.keyboard.press('Escape');
  await expect(onB.getByTestId('model-config-remove-confirm')).toHaveCount(0);
  await expect(remove).toBeFocused();

  // Enter, Enter: removed, in the engine too; focus on Undo.
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter');
  await expect(rows).toHaveCount(1);
  const undo = page.getByTestId('config-undo');
  await expect(undo).toContainText('Removed configuration “lora-on-b”');
  await expect(undo.getByTestId('config-undo-button')).toBeFocused();
  const list = async () => JSON.parse((await medtask(home, 'models', 'config', 'list', '--json')).stdout) as ModelConfig[];
  expect((await list()).map((c) => c.name)).toEqual(['lora-on-a']);
  await shot(page, info, 'models-config-undo');
  await noSeriousAxe(page, 'models undo');

  // Undo from the keyboard: saved again with the same model and adapter, and still flagged.
  await page.keyboard.press('Enter');
  await expect(rows).toHaveCount(2);
  await expect(page.getByTestId('config-undo')).toHaveCount(0);
  await expect(onB.getByTestId('model-config-remove')).toBeFocused();
  const models = JSON.parse((await medtask(home, 'models', 'list', '--json')).stdout) as ModelList;
  const restored = (await list()).find((c) => c.name === 'lora-on-b')!;
  expect(restored.modelId).toBe(models.models.find((m) => m.name === 'tiny-b')!.id);
  expect(restored.adapters.map((a) => a.adapterId)).toEqual([models.adapters[0]!.id]);
  expect(restored.warnings).toHaveLength(1);
  await expect(onB.getByTestId('adapter-base-warning')).toHaveCount(1);
});

test('export: after writing, focus is on Close inside the dialog and Esc closes it', async ({ page }, info) => {
  await page.goto(served.url);
  await page.getByTestId('view-tab-runs').click();
  const row = page.getByTestId('runs-list').getByTestId('run-row').first();
  await row.click();
  await row.getByTestId('run-export').click();
  const dialog = page.getByTestId('run-export-dialog');
  const file = path.join(ws.scratch, 'export-focus.csv');
  await dialog.getByTestId('run-export-path').fill(file);
  await dialog.getByTestId('run-export-confirm').click();
  await expect(dialog.getByTestId('run-export-file')).toHaveText(file);
  expect(fs.existsSync(file)).toBe(true);
  await expect(dialog.getByTestId('run-export-close')).toBeFocused();
  expect(await dialog.evaluate((el) => el.contains(document.activeElement))).toBe(true);
  await shot(page, info, 'export-done-focus');
  await noSeriousAxe(page, 'export dialog');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('run-export-dialog')).toHaveCount(0);

  // Whatever drops focus onto the page (here: blur), Esc still closes the dialog and Tab goes back in.
  await row.getByTestId('run-export').click();
  await expect(dialog).toBeVisible();
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  expect(await page.evaluate(() => document.activeElement === document.body)).toBe(true);
  await page.keyboard.press('Tab');
  expect(await dialog.evaluate((el) => el.contains(document.activeElement))).toBe(true);
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('run-export-dialog')).toHaveCount(0);
});

test('contrast: the runs toolbar keys, tags and a focused run row pass axe colour-contrast', async ({ page }, info) => {
  await page.goto(served.url);
  await page.getByTestId('view-tab-runs').click();
  const list = page.getByTestId('runs-list');
  await list.getByTestId('run-row').first().click();
  await list.focus();
  await expect(list.locator('.row[aria-selected="true"]')).toHaveCount(1);
  await expect(list.locator('.row[aria-selected="true"]').getByTestId('run-model')).toBeVisible();
  await shot(page, info, 'runs-focused-row');
  const results = await new AxeBuilder({ page }).withRules(['color-contrast']).analyze();
  expect(results.violations.flatMap((v) => v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary ?? ''}`))).toEqual([]);
  await noSeriousAxe(page, 'runs view');
});

test('playground: ticking a LoRA for a model it was not made for warns before it is saved', async ({ page }, info) => {
  const models = JSON.parse((await medtask(home, 'models', 'list', '--json')).stdout) as ModelList;
  const configs = JSON.parse((await medtask(home, 'models', 'config', 'list', '--json')).stdout) as ModelConfig[];
  const id = (name: string) => models.models.find((m) => m.name === name)!.id;
  await page.goto(served.url);
  await page.keyboard.press('Control+5');
  const column = page.getByTestId('playground-column').first();
  await column.getByTestId('playground-model').selectOption(`m:${id('tiny-b')}`);
  await column.getByTestId('playground-adapter').first().getByTestId('playground-adapter-toggle').check();
  await expect(column.getByTestId('adapter-base-warning')).toContainText('was made for “tiny-a”');
  await shot(page, info, 'playground-pairing-warning');
  // The adapters and their warning (the Playground's own output panes are checked by web.playground.spec.ts).
  await noSeriousAxe(page, 'playground adapters', '[data-testid="playground-adapters"]');
  // On its own base the warning goes; a saved configuration on the wrong base shows the core's.
  await column.getByTestId('playground-model').selectOption(`m:${id('tiny-a')}`);
  await expect(column.getByTestId('adapter-base-warning')).toHaveCount(0);
  await column.getByTestId('playground-model').selectOption(`c:${configs.find((c) => c.name === 'lora-on-b')!.id}`);
  await expect(column.getByTestId('adapter-base-warning')).toContainText('not “tiny-b”');
});
