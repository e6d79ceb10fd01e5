/** A run whose tasks use English BLEU says so in its detail when NLTK's Punkt model is not installed. */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MedtaskCore } from '../../src/core/service';
import { serialiseMedsBenchCsv } from '../../src/core/predictions';
import { tempDir } from '../helpers';

let core: MedtaskCore;
const saved = { nltk: process.env.NLTK_DATA, home: process.env.HOME };

beforeAll(() => {
  core = new MedtaskCore({ home: tempDir() });
});
afterAll(async () => {
  await core.dispose();
  if (saved.nltk === undefined) delete process.env.NLTK_DATA;
  else process.env.NLTK_DATA = saved.nltk;
  process.env.HOME = saved.home;
});

it('imported MedS-Bench predictions: the Punkt note on an English rationale run, none with the model or for zh only', async () => {
  const dir = tempDir();
  const en = path.join(dir, 'en_model.csv');
  const zh = path.join(dir, 'zh_model.csv');
  fs.writeFileSync(en, serialiseMedsBenchCsv([{ taskId: 'task52', input: 'q', gt: 'Dr. Smith gave aspirin. It helped.', output: 'Dr. Smith gave aspirin.' }]));
  fs.writeFileSync(zh, serialiseMedsBenchCsv([{ taskId: 'task51', input: 'q', gt: '患者胸痛。', output: '患者胸痛。' }]));
  process.env.NLTK_DATA = dir; // no tokenizers/punkt_tab here
  process.env.HOME = dir;
  const { punktModel } = await import('../../src/core/metrics');
  if (punktModel() !== null) {
    console.log(`a Punkt model is installed system-wide (${punktModel()!.dir}); the missing-model note cannot be shown here`);
    return;
  }
  const enRun = await core.handlers.importPredictions({ file: en });
  expect((await core.handlers.getRun({ runId: enRun.id })).scoreNotes).toEqual(['English BLEU approximate: Punkt model not found']);
  const zhRun = await core.handlers.importPredictions({ file: zh });
  expect((await core.handlers.getRun({ runId: zhRun.id })).scoreNotes).toBeUndefined();
  process.env.NLTK_DATA = '/work/shared/reference-data/nltk_data';
  expect((await core.handlers.getRun({ runId: enRun.id })).scoreNotes).toBeUndefined();
});
