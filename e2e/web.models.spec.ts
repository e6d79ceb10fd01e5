/**
 * The Models view through the browser UI against the real engine: a tiny deterministic GGUF
 * model and a LoRA made for it, generated here, are added as a folder, loaded with progress,
 * run in the playground (with and without the adapter) and unloaded. No mocks.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { writeTinyLora, writeTinyModel } from '../test/tooling/tinyModel';
import { serveFile } from '../test/library/fileServer';
import { serve, tempHome, type Served } from './fixtures';

// A long trained context, so that the Stop test below can ask for a generation that lasts seconds
// (at ~2,000 tokens/s a 2,048-token context could end before the click reached the engine).
const TINY = { seed: 7, layers: 2, embd: 64, heads: 4, kvHeads: 2, ff: 128, contextLength: 32_768 };

let served: Served;
let home: string;
let scratch: string;
let folder: string;
let notModel: string;

test.beforeAll(async () => {
  home = tempHome();
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'medtask-e2e-models-'));
  folder = path.join(scratch, 'models');
  fs.mkdirSync(folder);
  await writeTinyModel(path.join(folder, 'tiny-7.gguf'), TINY);
  await writeTinyLora(path.join(folder, 'tiny-7-lora.gguf'), TINY, { seed: 3, rank: 4, alpha: 8 });
  // Outside the folder: a file that is not GGUF at all, added by its path.
  notModel = path.join(scratch, 'notes-not-a-model.gguf');
  fs.writeFileSync(notModel, 'these are clinical notes, not model weights\n');
  served = await serve(home);
});

test.afterAll(async () => {
  await served?.stop();
  for (const dir of [home, scratch]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

test('models: add a folder, load with progress, generate with and without a LoRA, unload', async ({ page }, info) => {
  await page.goto(served.url);
  await page.keyboard.press('Control+3');
  await expect(page.getByTestId('models-view')).toBeVisible();
  await expect(page.getByTestId('view-tab-models')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('models-empty')).toBeVisible();

  // Add the folder: the model, with its adapter nested under it.
  await page.getByTestId('models-add-path').fill(folder);
  await page.getByTestId('models-add').click();
  const rows = page.getByTestId('models-list').getByTestId('model-row');
  await expect(rows).toHaveCount(2);
  const model = rows.nth(0);
  const adapter = rows.nth(1);
  await expect(model).toHaveAttribute('data-kind', 'model');
  await expect(model).toHaveAttribute('data-status', 'ok');
  await expect(model.getByTestId('model-arch')).toHaveText('llama');
  await expect(model.getByTestId('model-template')).toHaveText('template yes');
  await expect(model.getByTestId('model-fit')).toBeVisible();
  await expect(model.getByTestId('model-fit-summary')).not.toBeEmpty();
  await expect(adapter).toHaveAttribute('data-kind', 'adapter');
  await expect(adapter).toHaveClass(/nested/);
  await expect(adapter.getByTestId('model-arch')).toHaveText('llama');
  const modelId = (await model.getAttribute('data-id')) ?? '';
  await expect(adapter.getByTestId('adapter-base')).toHaveValue(modelId);
  await expect(page.getByTestId('models-outcome')).toContainText('Added 2 files');

  // Load it on one thread, read into RAM: the bar reaches done and the runtime lists it on the CPU backend.
  const runtime = page.getByTestId('runtime-info');
  await expect(runtime.getByTestId('runtime-backend')).toHaveText(/^cpu/);
  await page.getByTestId('load-threads').fill('1');
  await page.getByTestId('load-mmap').selectOption('ram');
  await model.getByTestId('model-load').click();
  const bar = model.getByTestId('model-load-progress');
  await expect(bar).toHaveAttribute('data-state', 'done', { timeout: 30_000 });
  expect(await bar.evaluate((el) => (el as HTMLProgressElement).value)).toBe(1);
  await expect(model.getByTestId('model-load-state')).toContainText('Loaded');
  const loaded = runtime.getByTestId('runtime-loaded-model');
  await expect(loaded).toHaveCount(1);
  await expect(loaded).toContainText('tiny-llama-7');
  await expect(loaded).toContainText('threads 1');
  await expect(loaded).toContainText('in RAM');
  await expect(loaded.getByTestId('runtime-weights')).toHaveAttribute('title', 'read into RAM, as set');
  await expect(model.getByTestId('model-loaded')).toBeVisible();

  // Playground (its own view since it takes several models; Use goes there): the same prompt twice at temperature 0 gives the same text.
  await model.getByTestId('model-use').click();
  await expect(page.getByTestId('view-tab-playground')).toHaveAttribute('aria-selected', 'true');
  const playground = page.getByTestId('playground');
  await expect(playground.getByTestId('playground-model')).toHaveValue(`m:${modelId}`);
  await playground.getByTestId('playground-prompt').fill('The patient');
  await playground.getByTestId('playground-max-tokens').fill('12');
  await playground.getByTestId('playground-temperature').fill('0');
  await playground.getByTestId('playground-generate').click();
  const output = playground.getByTestId('playground-output');
  const figures = playground.getByTestId('playground-figures');
  await expect(output).toHaveAttribute('data-state', 'done', { timeout: 30_000 });
  await expect(output).toHaveText(/\S/);
  await expect(figures.locator('[data-figure="outputTokens"]')).toHaveText('12');
  await expect(figures.locator('[data-figure="stopReason"]')).toHaveText('max tokens');
  await expect(figures.locator('[data-figure="promptTokens"]')).toHaveText(/^[1-9]/);
  await expect(playground.getByTestId('playground-rendered-text')).toContainText('The patient');
  const first = (await output.textContent()) ?? '';
  expect(first.length).toBeGreaterThan(0);

  // Again, from the keyboard. Every start of a generation is noted, however short it is.
  await page.evaluate(() => {
    const w = window as unknown as { generations: number };
    w.generations = 0;
    new MutationObserver((records) => {
      for (const r of records) {
        const el = r.target as HTMLElement;
        if (el.dataset.testid === 'playground-output' && el.dataset.state === 'running') w.generations += 1;
      }
    }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ['data-state'] });
  });
  await playground.getByTestId('playground-prompt').focus();
  await page.keyboard.press('Control+Enter');
  await expect.poll(() => page.evaluate(() => (window as unknown as { generations: number }).generations)).toBe(1);
  await expect(output).toHaveAttribute('data-state', 'done', { timeout: 30_000 });
  await expect(output).toHaveText(first);
  await expect(figures.locator('[data-figure="outputTokens"]')).toHaveText('12');

  // With the LoRA at scale 1 the text changes.
  const pick = playground.getByTestId('playground-adapter');
  await expect(pick).toHaveCount(1);
  await pick.getByTestId('playground-adapter-toggle').check();
  await pick.getByTestId('playground-adapter-scale').fill('1');
  await playground.getByTestId('playground-generate').click();
  await expect(output).toHaveAttribute('data-state', 'done', { timeout: 30_000 });
  await expect(output).toHaveText(/\S/);
  await expect(output).not.toHaveText(first);
  await expect(figures.locator('[data-figure="model"]')).toContainText('tiny-7-lora.gguf ×1');

  // Batch size and flash attention from the runtime panel reach the context (read back from it).
  await page.getByTestId('load-batch-size').fill('abc');
  await playground.getByTestId('playground-generate').click();
  await expect(page.getByTestId('load-settings-error')).toContainText('batch');
  await expect(playground).toContainText('the load settings (shared with the runtime panel) are not valid');
  await page.getByTestId('load-batch-size').fill('64');
  await page.getByTestId('load-flash-attention').selectOption('on');
  await expect(page.getByTestId('load-settings-error')).toHaveCount(0);
  await playground.getByTestId('playground-generate').click();
  await expect(output).toHaveAttribute('data-state', 'done', { timeout: 30_000 });
  await expect(figures.locator('[data-figure="model"]')).toContainText('batch 64');
  await expect(figures.locator('[data-figure="model"]')).toContainText('flash attention on');

  // A chat template override replaces the file's own template in the rendered prompt.
  const rendered = playground.getByTestId('playground-rendered-text');
  await expect(rendered).not.toContainText('<|im_start|>');
  await playground.getByTestId('playground-chat-template').selectOption('chatML');
  await playground.getByTestId('playground-generate').click();
  await expect(output).toHaveAttribute('data-state', 'done', { timeout: 30_000 });
  await expect(rendered).toContainText('<|im_start|>');
  await expect(figures.locator('[data-figure="model"]')).toContainText('chat template chatML');
  // Custom Jinja: one that does not render fails where it was run, naming the template; a good one is used.
  await playground.getByTestId('playground-chat-template').selectOption('jinja');
  await playground.getByTestId('playground-chat-template-jinja').fill('{% for m in messages %}{{ m.content }');
  await playground.getByTestId('playground-generate').click();
  await expect(playground.getByTestId('playground-error')).toContainText('not a usable Jinja template');
  await playground.getByTestId('playground-chat-template-jinja').fill("{% for m in messages %}<<{{ m['role'] }}>> {{ m['content'] }}{% endfor %}");
  await playground.getByTestId('playground-generate').click();
  await expect(output).toHaveAttribute('data-state', 'done', { timeout: 30_000 });
  await expect(rendered).toContainText('<<user>>');
  await expect(figures.locator('[data-figure="model"]')).toContainText('chat template custom Jinja');
  await playground.getByTestId('playground-chat-template').selectOption('');

  // A stop string cuts the output where it first appears (the same greedy text up to there).
  await playground.getByTestId('playground-prompt').fill('The patient');
  await playground.getByTestId('playground-generate').click();
  await expect(output).toHaveAttribute('data-state', 'done', { timeout: 30_000 });
  const full = (await output.textContent()) ?? '';
  const word =
    full
      .trim()
      .split(/\s+/)
      .find((w, i) => i > 0 && w.length >= 2) ?? '';
  expect(word.length).toBeGreaterThan(1);
  await playground.getByTestId('playground-stop-strings').fill(word);
  await playground.getByTestId('playground-generate').click();
  await expect(output).toHaveAttribute('data-state', 'done', { timeout: 30_000 });
  await expect(figures.locator('[data-figure="stopReason"]')).toHaveText('stop string');
  expect(full.startsWith((await output.textContent()) ?? '')).toBe(true);
  await expect(output).not.toContainText(word);
  await playground.getByTestId('playground-stop-strings').fill('');

  // A long generation streams and Stop ends it where it is.
  await playground.getByTestId('playground-context').fill('32768');
  await playground.getByTestId('playground-max-tokens').fill('30000');
  await playground.getByTestId('playground-generate').click();
  await expect(playground.getByTestId('playground-streaming')).toBeVisible({ timeout: 30_000 });
  await playground.getByTestId('playground-stop').click();
  await expect(output).toHaveAttribute('data-state', 'done', { timeout: 30_000 });
  await expect(figures.locator('[data-figure="stopReason"]')).toHaveText('stopped');
  // The count is formatted for reading ("1,234").
  expect(Number(((await figures.locator('[data-figure="outputTokens"]').textContent()) ?? '').replace(/,/g, ''))).toBeLessThan(30000);
  await playground.getByTestId('playground-max-tokens').fill('12');

  // A prompt over a small context: an error that points at the policy; with one chosen, cut and said so.
  await playground.getByTestId('playground-context').fill('64');
  await playground.getByTestId('playground-prompt').fill('The patient has a fever and a cough. '.repeat(30));
  await playground.getByTestId('playground-generate').click();
  await expect(playground.getByTestId('playground-error')).toContainText('truncation policy');
  await playground.getByTestId('playground-truncate').selectOption('keep-end');
  await playground.getByTestId('playground-generate').click();
  await expect(output).toHaveAttribute('data-state', 'done', { timeout: 30_000 });
  await expect(playground.getByTestId('playground-truncation')).toContainText(/tokens removed \(\s*the start was cut\)/);
  // The budget is the context llama.cpp made (it may round 64 up) less the 12 tokens to generate.
  const context = Number(/context (\d+)/.exec((await figures.locator('[data-figure="model"]').textContent()) ?? '')?.[1]);
  expect(context).toBeGreaterThanOrEqual(64);
  await expect(figures.locator('[data-figure="promptTokens"]')).toHaveText(String(context - 12));
  await playground.getByTestId('playground-truncate').selectOption('error');
  await playground.getByTestId('playground-context').fill('');
  await page.screenshot({ path: info.outputPath('models.png') });
  await info.attach('models', { path: info.outputPath('models.png'), contentType: 'image/png' });

  // Unload, back in the Models view.
  await page.keyboard.press('Control+3');
  await loaded.getByTestId('model-unload').click();
  await expect(runtime.getByTestId('runtime-loaded-model')).toHaveCount(0);
  await expect(runtime.getByTestId('runtime-loaded-empty')).toBeVisible();
  await expect(model.getByTestId('model-loaded')).toHaveCount(0);

  // A file that is not GGUF, added by path: the error names it, under the Add field.
  await page.getByTestId('models-add-path').fill(notModel);
  await page.getByTestId('models-add').click();
  await expect(page.getByTestId('models-add-error')).toContainText('notes-not-a-model.gguf');
  await expect(rows).toHaveCount(2);

  // A pull that cannot succeed here (offline, or no such repository) fails in place.
  await page.getByTestId('models-pull-uri').fill('hf:medtask-e2e/no-such-model-GGUF:Q4_K_M');
  await page.getByTestId('models-pull').click();
  await expect(page.getByTestId('models-pull-error')).toBeVisible({ timeout: 20_000 });
  await expect(page.getByTestId('models-pull')).toBeEnabled();
  await page.screenshot({ path: info.outputPath('models-errors.png') });
  await info.attach('models-errors', { path: info.outputPath('models-errors.png'), contentType: 'image/png' });

  // The adapter's file goes away: Rescan marks it missing; Remove (confirmed) takes it out of the library.
  fs.rmSync(path.join(folder, 'tiny-7-lora.gguf'));
  await page.getByTestId('models-rescan').click();
  await expect(adapter).toHaveAttribute('data-status', 'missing');
  await expect(adapter.getByTestId('model-status-detail')).toContainText('tiny-7-lora.gguf');
  await adapter.getByTestId('model-remove').click();
  await adapter.getByTestId('model-remove-confirm').click();
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toHaveAttribute('data-kind', 'model');

  // Rename inline.
  await model.getByTestId('model-rename-start').click();
  await model.getByTestId('model-rename').fill('tiny seven');
  await model.getByTestId('model-rename').press('Enter');
  await expect(model.getByTestId('model-name')).toHaveText('tiny seven');
});

test('a download shows its progress, stops on Cancel and resumes on the next Pull', async ({ page }) => {
  // A real GGUF padded to 48 MB, served slowly enough to watch and to cancel half-way.
  const source = path.join(scratch, 'pull-source.gguf');
  await writeTinyModel(source, { ...TINY, seed: 31 });
  fs.appendFileSync(source, Buffer.alloc(48 * 1024 * 1024));
  const total = fs.statSync(source).size;
  const server = await serveFile(source, { delayMs: 20 });
  try {
    await page.goto(served.url);
    await page.getByTestId('view-tab-models').click();
    await page.getByTestId('models-pull-uri').fill(server.url('pulled-e2e.gguf'));
    await page.getByTestId('models-pull').click();
    const progress = page.getByTestId('models-pull-progress');
    await expect(progress).toBeVisible();
    await expect(page.getByTestId('models-pull-progress-text')).toContainText(' of ', { timeout: 20_000 });
    await expect.poll(async () => Number(await progress.locator('progress').getAttribute('value')), { timeout: 30_000 }).toBeGreaterThan(total / 2);
    await page.getByTestId('models-pull-cancel').click();
    await expect(page.getByTestId('models-pull-error')).toContainText('the partial file is kept and the next pull resumes it', { timeout: 20_000 });
    await expect(progress).toHaveCount(0);

    await page.getByTestId('models-pull').click();
    await expect(page.getByTestId('models-outcome')).toContainText('resumed', { timeout: 60_000 });
    await expect(page.getByTestId('models-outcome')).toContainText('pulled-e2e.gguf');
    expect(fs.readFileSync(path.join(home, 'models', 'pulled-e2e.gguf')).equals(fs.readFileSync(source))).toBe(true);
  } finally {
    await server.close();
  }
});
