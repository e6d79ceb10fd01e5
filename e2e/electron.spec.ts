/**
 * The same journey in the real desktop shell. Electron's binary cannot be downloaded on
 * offline machines; there this spec is skipped with the reason printed.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';
import { medtask, REPO, SHARED_DATA, tempHome } from './fixtures';

const require = createRequire(import.meta.url);

function electronBinary(): string | null {
  try {
    const bin = require('electron') as unknown;
    return typeof bin === 'string' && fs.existsSync(bin) ? bin : null;
  } catch {
    return null;
  }
}

const binary = electronBinary();
const reason = 'Electron binary not installed (ELECTRON_SKIP_BINARY_DOWNLOAD=1 / offline); the web journey covers the renderer and core';
if (!binary) console.log(`[electron.spec] skipped: ${reason}`);

test('browse to an item in the Electron window', async () => {
  test.skip(!binary, reason);
  const home = tempHome();
  await medtask(home, 'import', path.join(SHARED_DATA, 'medinst32/unseen_tests/PubMedQA-labeled.json'));
  const app = await electron.launch({ executablePath: binary!, args: [REPO, '--home', home], env: { ...process.env, MEDTASK_HOME: home } });
  try {
    const page = await app.firstWindow();
    // Sandboxed, context-isolated page: no Node globals, only the narrow bridge.
    expect(await page.evaluate(() => typeof (globalThis as { process?: unknown }).process)).toBe('undefined');
    expect(await page.evaluate(() => Object.keys((globalThis as unknown as { medtask: object }).medtask).sort())).toEqual(['calls', 'dialogs', 'onEvent']);
    expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
    // The page cannot widen a native dialog (here: ask it to show hidden files); main refuses before showing one.
    const refused = await page.evaluate(() =>
      (globalThis as unknown as { medtask: { dialogs: { open(o: unknown): Promise<{ ok: boolean; error?: { code: string } }> } } }).medtask.dialogs.open({
        properties: ['showHiddenFiles'],
      }),
    );
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    await page.getByTestId('benchmark-row').filter({ hasText: 'MedINST32' }).click();
    await page.getByTestId('task-row').filter({ hasText: 'PubMedQA-labeled' }).click();
    await page.getByTestId('item-row').first().click();
    await expect(page.getByTestId('item-output')).not.toBeEmpty();
  } finally {
    await app.close();
  }
});
