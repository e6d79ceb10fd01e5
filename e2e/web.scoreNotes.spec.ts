/**
 * Scores that are not the reference's to the last digit say so in the runs view: MedS-Bench
 * predictions with English BLEU (task52), imported where NLTK's Punkt model is not installed,
 * show "English BLEU approximate: Punkt model not found" under the scores; zh alone does not.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expectNoSeriousAxeViolations } from './axe';
import { expect, test } from '@playwright/test';
import { serialiseMedsBenchCsv } from '../src/core/predictions/medsBenchCsv';
import { medtask, serve, tempHome, type Served } from './fixtures';

let served: Served;
let home: string;
const saved = { nltk: process.env.NLTK_DATA, home: process.env.HOME };

test.beforeAll(async () => {
  home = tempHome();
  const empty = tempHome();
  // no tokenizers/punkt_tab anywhere the host looks ($NLTK_DATA, ~/nltk_data); system folders are checked below
  process.env.NLTK_DATA = empty;
  process.env.HOME = empty;
  const en = path.join(empty, 'english_model.csv');
  fs.writeFileSync(en, serialiseMedsBenchCsv([{ taskId: 'task52', input: 'q', gt: 'Dr. Smith gave aspirin. It helped.', output: 'Dr. Smith gave aspirin.' }]));
  await medtask(home, 'import-predictions', en);
  served = await serve(home);
});

test.afterAll(async () => {
  await served?.stop();
  if (saved.nltk === undefined) delete process.env.NLTK_DATA;
  else process.env.NLTK_DATA = saved.nltk;
  process.env.HOME = saved.home;
});

test('an English BLEU run without the Punkt model carries the note under its scores', async ({ page }, info) => {
  const system = ['/usr/share/nltk_data', '/usr/local/share/nltk_data', '/usr/lib/nltk_data', '/usr/local/lib/nltk_data'].find((d) =>
    fs.existsSync(path.join(d, 'tokenizers/punkt_tab/english')),
  );
  if (system !== undefined) {
    const reason = `a Punkt model is installed system-wide in ${system}; the missing-model note cannot be shown`;
    console.log(`[web.scoreNotes.spec] skipped: ${reason}`);
    test.skip(true, reason);
  }
  await page.goto(served.url);
  await page.getByTestId('view-tab-runs').click();
  const row = page.getByTestId('runs-list').getByTestId('run-row');
  await expect(row).toHaveCount(1);
  await row.click();
  await expect(page.getByTestId('run-scores').getByTestId('run-score-row')).toHaveCount(1);
  const note = page.getByTestId('run-score-note');
  await expect(note).toHaveText('English BLEU approximate: Punkt model not found');
  await page.screenshot({ path: info.outputPath('run-score-note.png') });
  // the scores and their note (the runs toolbar's own contrast is another view's concern)
  await expectNoSeriousAxeViolations(page, 'run scores', ['.run-scores-wrap']);
});
