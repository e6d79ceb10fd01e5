/**
 * The runtime panel's engine line and "Build for this CPU" offer in Chromium against the real host and
 * core: what the panel shows matches `engineInfo`. The build itself is not started here (minutes,
 * and it rewrites node_modules/node-llama-cpp, which every other test uses): the second journey runs the host
 * and core in-process with a stand-in build command, to see progress, Cancel and the outcome.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import type { EngineInfo } from '../src/shared/models';
import { dispatchCall } from '../src/shared/dispatch';
import { unwrap } from '../src/shared/errors';
import { MedtaskCore } from '../src/core/service';
import { startWebHost } from '../src/server/host';
import { expectNoSeriousAxeViolations } from './axe';
import { REPO, serve, tempHome, type Served } from './fixtures';

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
  if (engine.binary.buildRecommended && !engine.cannotBuild) {
    await expect(offer).toContainText(
      "Prompts of F16 models run at about half this CPU's speed with the bundled engine (quantized ones such as Q4_K_M at about 94%).",
    );
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

/**
 * The real host and core in this process, with core options only tests have (a stand-in build command,
 * build blockers): runs `use` with them, then closes both and removes the home.
 */
async function withInProcessHost(
  options: Omit<ConstructorParameters<typeof MedtaskCore>[0], 'home'>,
  use: (core: MedtaskCore, url: string) => Promise<void>,
): Promise<void> {
  const dir = tempHome();
  const core = new MedtaskCore({ home: dir, ...options });
  const host = await startWebHost({ core, staticDir: path.join(REPO, 'out/renderer'), port: 0 });
  try {
    await use(core, host.url);
  } finally {
    await host.close();
    await core.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A build that prints clone/cmake/compile lines and then runs until killed (a real build takes minutes). */
function hangingBuild(dir: string): string[] {
  const file = path.join(dir, 'build.cjs');
  fs.writeFileSync(
    file,
    `console.log('Cloning llama.cpp');
console.log('-- The C compiler identification is GNU 12.2.0');
console.log('[ 37%] Building CXX object src/llama.cpp.o');
setInterval(() => {}, 1000);`,
  );
  return [process.execPath, file];
}

test('Build for this CPU shows progress, Cancel stops it, and the outcome says the bundled engine stays', async ({ page }, info) => {
  // The build command is swapped for a stand-in.
  const scripts = tempHome();
  try {
    await withInProcessHost({ engineBuildCommand: hangingBuild(scripts) }, async (core, url) => {
      const engine = unwrap(await dispatchCall(core.handlers, 'engineInfo', {})) as EngineInfo;
      test.skip(!engine.binary.buildRecommended, 'this checkout loads a local build: the panel offers no build (checked by the test above)');
      await page.goto(url);
      await page.keyboard.press('Control+3');
      const runtime = page.getByTestId('runtime-info');
      await runtime.getByTestId('engine-build-start').focus();
      await page.keyboard.press('Enter');
      const progress = runtime.getByTestId('engine-build-progress');
      await expect(progress).toHaveAttribute('data-phase', 'compile');
      await expect(progress).toContainText('Compiling');
      await expect(progress).toContainText('37%');
      await expect(runtime.getByTestId('engine-build-offer')).toHaveCount(0);
      // Focus moves to Cancel, so Enter again cancels without the mouse.
      await expect(progress.getByTestId('engine-build-cancel')).toBeFocused();
      await page.screenshot({ path: info.outputPath('engine-building.png') });
      await info.attach('engine-building', { path: info.outputPath('engine-building.png'), contentType: 'image/png' });
      await expectNoSeriousAxeViolations(page, 'runtime panel while the engine builds');
      await page.keyboard.press('Enter');
      const outcome = runtime.getByTestId('engine-build-outcome');
      await expect(outcome).toHaveAttribute('data-state', 'cancelled', { timeout: 10_000 });
      await expect(outcome).toContainText('the bundled engine stays in use');
      await expect(runtime.getByTestId('engine-build-start')).toHaveText('Build again');
      await expect(runtime.getByTestId('engine-build-start')).toBeFocused();
      await expect(runtime.getByTestId('engine-binary')).toHaveAttribute('data-build-type', 'prebuilt');
      await page.screenshot({ path: info.outputPath('engine-cancelled.png') });
      await info.attach('engine-cancelled', { path: info.outputPath('engine-cancelled.png'), contentType: 'image/png' });
      await expectNoSeriousAxeViolations(page, 'runtime panel after a cancelled build');
    });
  } finally {
    fs.rmSync(scripts, { recursive: true, force: true });
  }
});

test('where a build cannot start (no cmake here), the panel says why and what to install, and offers no button that would fail', async ({ page }, info) => {
  const blockers = () => ['cmake was not found on the PATH (install it, e.g. "apt install cmake", or from cmake.org)'];
  await withInProcessHost({ engineBuildBlockers: blockers }, async (core, url) => {
    const engine = unwrap(await dispatchCall(core.handlers, 'engineInfo', {})) as EngineInfo;
    test.skip(engine.binary.buildType === 'localBuild', 'this checkout loads a local build: there is nothing to build, so nothing blocks one');
    await page.goto(url);
    await page.keyboard.press('Control+3');
    const runtime = page.getByTestId('runtime-info');
    const advice = runtime.getByTestId('engine-advice');
    await expect(advice).toContainText('A build for this CPU cannot start here: cmake was not found on the PATH');
    await expect(advice).toContainText('apt install cmake');
    await expect(advice).toContainText('The bundled engine works meanwhile.');
    await expect(runtime.getByTestId('engine-build-offer')).toHaveCount(0);
    await expect(runtime.getByTestId('engine-build-start')).toHaveCount(0);
    await page.screenshot({ path: info.outputPath('engine-cannot-build.png') });
    await info.attach('engine-cannot-build', { path: info.outputPath('engine-cannot-build.png'), contentType: 'image/png' });
    await expectNoSeriousAxeViolations(page, 'runtime panel where a build cannot start');
  });
});
