/**
 * The Playground through the browser UI against the real engine: a real MedINST32 item opened from
 * the Library with "Open in Playground" (its few-shot prompt rendered as a run would send it, the
 * gold beside the columns), two tiny generated GGUF models of different seeds run side by side, one
 * column cancelled while it waits and the other stopped with Esc, a column's error kept in its
 * column, and an earlier generation re-opened from the history after a reload. No mocks.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { writeTinyModel } from '../test/tooling/tinyModel';
import { expectNoSeriousAxeViolations as axe } from './axe';
import { medtask, serve, SHARED_DATA, tempHome, type Served } from './fixtures';
import { PUBMEDQA as ZS, setupRuns } from './runSetup';

const PUBMEDQA = path.join(SHARED_DATA, 'medinst32/unseen_tests/PubMedQA-labeled.json');
// The first record of the real file, read independently of the app.
const first = JSON.parse(fs.readFileSync(PUBMEDQA, 'utf8').split('\n')[0]!) as { input: string; output: string; history: [string, string][] };
// A long trained context, so that a generation can be asked to last long enough to be stopped.
const TINY = { layers: 2, embd: 64, heads: 4, kvHeads: 2, ff: 128, contextLength: 32_768 };

let served: Served;
let home: string;
let scratch: string;

test.beforeAll(async () => {
  home = tempHome();
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'medtask-e2e-playground-'));
  await writeTinyModel(path.join(scratch, 'tiny-a.gguf'), { ...TINY, seed: 7 });
  await writeTinyModel(path.join(scratch, 'tiny-b.gguf'), { ...TINY, seed: 11 });
  await medtask(home, 'import', PUBMEDQA);
  await medtask(home, 'models', 'add', scratch);
  served = await serve(home);
});

test.afterAll(async () => {
  await served?.stop();
  for (const dir of [home, scratch]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

test('playground: a library item on two models side by side, cancel, errors in place, history', async ({ page }, info) => {
  // Four generations of a few-shot prompt on two models, on a machine other builds share.
  test.setTimeout(300_000);
  await page.goto(served.url);
  await page.getByTestId('benchmark-row').filter({ hasText: 'MedINST32' }).click();
  await page.getByTestId('task-row').filter({ hasText: 'PubMedQA-labeled' }).click();
  await page.getByTestId('item-row').first().click();
  await page.getByTestId('item-view').getByTestId('open-in-playground').click();

  // The Playground view, with the item's prompt as a MedINST32 run renders it: the file's few-shot turns, then the input.
  await expect(page.getByTestId('view-tab-playground')).toHaveAttribute('aria-selected', 'true');
  const playground = page.getByTestId('playground');
  await expect(playground.getByTestId('playground-item-label')).toContainText('PubMedQA-labeled');
  await expect(playground.getByTestId('playground-item-strategy')).toHaveValue('medinst32');
  await expect(playground.getByTestId('playground-turn')).toHaveCount(first.history.length * 2);
  await expect(playground.getByTestId('playground-turn').first()).toHaveAttribute('data-role', 'user');
  await expect(playground.getByTestId('playground-prompt')).toHaveValue(new RegExp(first.input.slice(0, 50).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  await expect(playground.getByTestId('playground-gold')).toContainText(first.output);
  // Zero shots renders it again without the turns; back to the default brings them back.
  await playground.getByTestId('playground-item-shots').fill('0');
  await expect(playground.getByTestId('playground-turn')).toHaveCount(0);
  await playground.getByTestId('playground-item-shots').fill('');
  await expect(playground.getByTestId('playground-turn')).toHaveCount(first.history.length * 2);

  // Two models: tiny-llama-7 and tiny-llama-11, the same prompt, greedy.
  const columns = playground.getByTestId('playground-column');
  await columns.nth(0).getByTestId('playground-model').selectOption({ label: 'tiny-llama-7' });
  await playground.getByTestId('playground-add-column').click();
  await expect(columns).toHaveCount(2);
  await columns.nth(1).getByTestId('playground-model').selectOption({ label: 'tiny-llama-11' });
  await playground.getByTestId('playground-max-tokens').fill('12');
  await playground.getByTestId('playground-temperature').fill('0');
  // Every status a column passes through is noted, however short it lasts.
  await page.evaluate(() => {
    const w = window as unknown as { statuses: string[] };
    w.statuses = [];
    new MutationObserver((records) => {
      for (const r of records) {
        const el = r.target as HTMLElement;
        if (el.dataset.testid === 'playground-column') w.statuses.push(`${el.dataset.key}:${el.dataset.status}`);
      }
    }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ['data-status'] });
  });
  await playground.getByTestId('playground-prompt').focus();
  await page.keyboard.press('Control+Enter');
  for (const i of [0, 1]) {
    await expect(columns.nth(i).getByTestId('playground-output')).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
    const figures = columns.nth(i).getByTestId('playground-figures');
    await expect(figures.locator('[data-figure="outputTokens"]')).toHaveText('12');
    await expect(figures.locator('[data-figure="promptTokens"]')).toHaveText(/^[1-9][\d,]*$/);
    await expect(figures.locator('[data-figure="tokensPerSecond"]')).toHaveText(/^\d+\.\d$/);
    await expect(figures.locator('[data-figure="timeToFirstToken"]')).not.toBeEmpty();
    await expect(figures.locator('[data-figure="totalTime"]')).not.toBeEmpty();
    // The prompt as the model saw it carries the item's few-shot turns.
    await expect(columns.nth(i).getByTestId('playground-rendered-text')).toContainText(first.history[0]![0].slice(0, 40));
  }
  const outA = (await columns.nth(0).getByTestId('playground-output').textContent()) ?? '';
  const outB = (await columns.nth(1).getByTestId('playground-output').textContent()) ?? '';
  expect(outA.length).toBeGreaterThan(0);
  expect(outB.length).toBeGreaterThan(0);
  expect(outA).not.toBe(outB);
  // One after another: the second column waited, then ran.
  const keyB = await columns.nth(1).getAttribute('data-key');
  const statuses = await page.evaluate(() => (window as unknown as { statuses: string[] }).statuses);
  const ofB = statuses.filter((s) => s.startsWith(`${keyB}:`)).map((s) => s.split(':')[1]);
  expect(ofB[0]).toBe('waiting');
  expect(ofB.at(-1)).toBe('done');
  await page.screenshot({ path: info.outputPath('playground.png') });
  await info.attach('playground', { path: info.outputPath('playground.png'), contentType: 'image/png' });
  await axe(page, 'playground');

  // A long generation: the second column, still waiting, is skipped; Esc stops the first where it is.
  await playground.getByTestId('playground-context').fill('32768');
  await playground.getByTestId('playground-max-tokens').fill('20000');
  await playground.getByTestId('playground-generate').click();
  await expect(columns.nth(0).getByTestId('playground-streaming')).toBeVisible({ timeout: 30_000 });
  await expect(columns.nth(1).getByTestId('playground-column-status')).toContainText('waiting for tiny-llama-7');
  await columns.nth(1).getByTestId('playground-column-cancel').click();
  await expect(columns.nth(1)).toHaveAttribute('data-status', 'cancelled');
  await playground.getByTestId('playground-prompt').focus();
  await page.keyboard.press('Escape');
  await expect(columns.nth(0).getByTestId('playground-output')).toHaveAttribute('data-state', 'done', { timeout: 30_000 });
  await expect(columns.nth(0).locator('[data-figure="stopReason"]')).toHaveText('stopped');
  expect(Number(((await columns.nth(0).locator('[data-figure="outputTokens"]').textContent()) ?? '').replace(/,/g, ''))).toBeLessThan(20000);
  await expect(columns.nth(1).getByTestId('playground-figures')).toHaveCount(0);
  await playground.getByTestId('playground-context').fill('');
  await playground.getByTestId('playground-max-tokens').fill('12');

  // A file that is not there: the error stays in its column; the other column generates.
  await columns.nth(1).getByTestId('playground-model').selectOption('path');
  await columns.nth(1).getByTestId('playground-model-path').fill(path.join(scratch, 'no-such-model.gguf'));
  await playground.getByTestId('playground-generate').click();
  await expect(columns.nth(1).getByTestId('playground-error')).toContainText('no-such-model.gguf', { timeout: 30_000 });
  await expect(columns.nth(0).getByTestId('playground-output')).toHaveAttribute('data-state', 'done', { timeout: 30_000 });
  await expect(columns.nth(0).getByTestId('playground-error')).toHaveCount(0);

  // The history keeps every generation, across a reload; the first one re-opens with both outputs.
  const rows = playground.getByTestId('playground-history-row');
  await expect(rows).toHaveCount(3);
  await page.reload();
  await page.keyboard.press('Control+5');
  await expect(rows).toHaveCount(3);
  await rows.nth(2).getByTestId('playground-history-open').click();
  await expect(columns).toHaveCount(2);
  await expect(columns.nth(0).getByTestId('playground-output')).toHaveText(outA);
  await expect(columns.nth(1).getByTestId('playground-output')).toHaveText(outB);
  await expect(columns.nth(0).getByTestId('playground-model')).toHaveValue(/^m:\d+$/);
  await expect(playground.getByTestId('playground-item-label')).toContainText('PubMedQA-labeled');
  await expect(playground.getByTestId('playground-gold')).toContainText(first.output);
  await page.screenshot({ path: info.outputPath('playground-history.png') });
  await info.attach('playground-history', { path: info.outputPath('playground-history.png'), contentType: 'image/png' });
  await axe(page, 'playground history');
});

test('playground from Compare: a run’s item opens with the prompt as that run sent it', async ({ page }) => {
  test.setTimeout(300_000);
  const ws = await setupRuns({
    prefix: 'playground-compare',
    items: 2,
    tiny: [
      { seed: 5, name: 'tiny five', args: ['--max-tokens', '4'] },
      { seed: 9, name: 'tiny nine', args: ['--max-tokens', '4'] },
    ],
  });
  try {
    const item = JSON.parse(fs.readFileSync(ZS, 'utf8').split('\n')[0]!) as { input: string; output: string };
    await page.goto(ws.served.url);
    await page.keyboard.press('Control+4');
    for (const id of ws.runIds) await page.getByTestId(`compare-pick-${id}`).check();
    await page.getByTestId('compare-go').click();
    await page.getByTestId('compare-row').first().click();
    const runDetail = page.getByTestId('compare-run-detail').first();
    await expect(runDetail).toBeVisible();
    const sent = (await runDetail.locator('details').last().locator('pre').textContent()) ?? '';
    await runDetail.getByTestId('open-in-playground').click();

    await expect(page.getByTestId('view-tab-playground')).toHaveAttribute('aria-selected', 'true');
    const playground = page.getByTestId('playground');
    await expect(playground.getByTestId('playground-item-label')).toContainText('PubMedQA-labeled');
    await expect(playground.getByTestId('playground-item-source')).toContainText('tiny');
    // A zero-shot item: no turns; the user message the run sent is the prompt (the item's input in it).
    await expect(playground.getByTestId('playground-turn')).toHaveCount(0);
    const prompt = await playground.getByTestId('playground-prompt').inputValue();
    expect(prompt).toContain(item.input.slice(0, 60));
    expect(sent).toContain(prompt.slice(0, 60));
    await expect(playground.getByTestId('playground-gold')).toContainText(item.output);
    await expect(page.locator(':focus')).toHaveAttribute('data-testid', 'playground-prompt');
  } finally {
    await ws.stop();
  }
});
