/**
 * Hostile model files and the automatic thread count in the Models view, against the real web
 * host and engine: a folder holding crafted GGUFs beside a good model is added, the crafted ones
 * are listed as not valid models with their reasons (and nothing crashes), and the good model
 * loaded with threads left empty shows how many threads "auto" picked and why. axe-core checks
 * the view.
 */
import fs from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { writeTinyModel } from '../test/tooling/tinyModel';
import { HOSTILE_CASES, writeHostileModels } from '../test/models/hostile';
import { TINY } from '../test/models/fixtures';
import { serve, tempHome, type Served } from './fixtures';

let served: Served;
let home: string;
let folder: string;

test.beforeAll(async () => {
  home = tempHome();
  // Inside the data directory, which the web host may always read.
  folder = path.join(home, 'models-in');
  fs.mkdirSync(folder);
  await writeHostileModels(folder);
  await writeTinyModel(path.join(folder, 'tiny-7.gguf'), TINY);
  served = await serve(home);
});

test.afterAll(async () => {
  await served?.stop();
  if (home) fs.rmSync(home, { recursive: true, force: true });
});

test('models: crafted files in a folder are listed as invalid with reasons; auto threads are explained', async ({ page }, info) => {
  await page.goto(served.url);
  await page.keyboard.press('Control+3');
  await expect(page.getByTestId('models-view')).toBeVisible();
  await page.getByTestId('models-add-path').fill(folder);
  await page.getByTestId('models-add').click();

  const rows = page.getByTestId('models-list').getByTestId('model-row');
  await expect(rows).toHaveCount(1);
  await expect(page.getByTestId('model-invalid-summary')).toHaveText(`${HOSTILE_CASES.length} files are not valid models and will not be loaded`);
  await page.getByTestId('model-invalid-summary').click();
  const invalid = page.getByTestId('model-invalid-file');
  await expect(invalid).toHaveCount(HOSTILE_CASES.length);
  await expect(invalid.filter({ hasText: 'absurd-block-count.gguf' })).toContainText(/Invalid model file .*block_count is 1000000000/);
  await expect(invalid.filter({ hasText: 'bad-version.gguf' })).toContainText('unsupported GGUF version 7');
  await expect(invalid.filter({ hasText: 'bad-alignment.gguf' })).toContainText('general.alignment is 24');

  await page.screenshot({ path: info.outputPath('model-files-invalid.png'), fullPage: true });
  await page.getByTestId('model-invalid-summary').click();

  // The good model, threads left empty: the runtime panel says what auto chose and why.
  await expect(page.getByTestId('load-threads')).toHaveValue('');
  await rows.nth(0).getByTestId('model-load').click();
  await expect(rows.nth(0).getByTestId('model-load-progress')).toHaveAttribute('data-state', 'done', { timeout: 30_000 });
  const loaded = page.getByTestId('runtime-info').getByTestId('runtime-loaded-model');
  await expect(loaded).toHaveCount(1);
  await expect(loaded.getByTestId('runtime-threads-reason')).toHaveText(
    /^threads 1 \(auto: \d+ physical cores?, \d+ busy with other programs at load(; at most 1 for a \d+[KM]-parameter model)?\)$/,
  );

  await page.screenshot({ path: info.outputPath('model-files.png'), fullPage: true });
  // The parts this journey adds (the invalid-files line, opened, and the threads reason) must be clean;
  // the whole page's findings are printed for the Models view's owners.
  await page.getByTestId('model-invalid-summary').click();
  const page_ = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
  console.log(`axe on the whole Models view: ${page_.violations.map((v) => `${v.id} (${v.nodes.length})`).join(', ') || 'none'}`);
  const ours = await new AxeBuilder({ page })
    .include('[data-testid="model-invalid"]')
    .include('[data-testid="runtime-threads-reason"]')
    .withTags(['wcag2a', 'wcag2aa'])
    .analyze();
  expect(ours.violations.map((v) => `${v.id}: ${v.help} ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`)).toEqual([]);
});
