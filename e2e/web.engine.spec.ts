/**
 * The runtime panel's engine line and "Build for this CPU" offer in Chromium against the real host and
 * core: what the panel shows matches `engineInfo`. The build itself is not started here (10–20 minutes,
 * and it rewrites node_modules/node-llama-cpp, which every other test uses); test/inference/engineBuildCalls
 * covers start, progress, cancel and failure against a real core.
 */
import fs from 'node:fs';
import { expect, test } from '@playwright/test';
import type { EngineInfo } from '../src/shared/models';
import { expectNoSeriousAxeViolations } from './axe';
import { serve, tempHome, type Served } from './fixtures';

let served: Served;
let home: string;

test.beforeAll(async () => {
  home = tempHome();
  served = await serve(home);
});

test.afterAll(async () => {
  await served?.stop();
  if (home) fs.rmSync(home, { recursive: true, force: true });
});

test('the runtime panel names the engine binary and offers a build for this CPU exactly when engineInfo recommends one', async ({ page }, info) => {
  const res = await fetch(`${served.origin}/api/call/engineInfo`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${served.token}` },
    body: '{}',
  });
  const engine = ((await res.json()) as { ok: true; value: EngineInfo }).value;

  await page.goto(served.url);
  await page.keyboard.press('Control+3');
  const runtime = page.getByTestId('runtime-info');
  const line = runtime.getByTestId('engine-binary');
  await expect(line).toHaveText(engine.binary.summary);
  await expect(line).toHaveAttribute('data-build-type', engine.binary.buildType);
  await expect(line).toHaveAttribute('data-recommended', String(engine.binary.buildRecommended));

  const offer = runtime.getByTestId('engine-build-offer');
  if (engine.binary.buildRecommended) {
    await expect(offer).toContainText("Prompts run at about 40% of this CPU's speed with the bundled engine.");
    await expect(offer).toContainText('the bundled engine stays if it fails');
    const start = offer.getByTestId('engine-build-start');
    await expect(start).toHaveText('Build for this CPU');
    await expect(start).toBeEnabled();
    // Keyboard reachable: Tab from the panel's Refresh button gets there without the mouse.
    await runtime.page().getByTestId('runtime-refresh').focus();
    for (let i = 0; i < 10 && !(await start.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Tab');
    await expect(start).toBeFocused();
  } else {
    await expect(offer).toHaveCount(0);
    await expect(runtime.getByTestId('engine-advice')).toHaveText(engine.advice);
  }
  await expect(runtime.getByTestId('engine-build-progress')).toHaveCount(0);
  await page.screenshot({ path: info.outputPath('engine.png') });
  await info.attach('engine', { path: info.outputPath('engine.png'), contentType: 'image/png' });
  await expectNoSeriousAxeViolations(page, 'runtime panel with the engine line');
});
