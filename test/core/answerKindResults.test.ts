// The run item and compare item results carry the engine's answer kind (and BIO entity type), so the views show entity spans or label chips without guessing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MedtaskCore } from '../../src/core/service';
import { call, writeRun } from '../compare/fixtures';
import { data, tempDir } from '../helpers';

let core: MedtaskCore;
let ncbiRun: number;
let pubmedqaRun: number;

beforeAll(async () => {
  core = new MedtaskCore({ home: tempDir('medtask-answerkind-') });
  await core.importPaths([data('medinst32/unseen_tests/NCBI-disease.json'), data('medinst32/unseen_tests/PubMedQA-labeled.json')]);
  const tasks = await core.handlers.listTasks({});
  const id = (name: string) => tasks.find((t) => t.name === name)!.id;
  ncbiRun = writeRun(core.db, 'ncbi', [id('NCBI-disease')], 3, () => true);
  pubmedqaRun = writeRun(core.db, 'pubmedqa', [id('PubMedQA-labeled')], 3, () => false);
});
afterAll(() => core?.close());

describe('answer kind in run and compare item results', () => {
  it("pageRunItems: BIO with the instruction's entity type for NCBI-disease, labels for PubMedQA", async () => {
    const ncbi = await call(core, 'pageRunItems', { runId: ncbiRun, limit: 10 });
    expect(ncbi.items).toHaveLength(3);
    for (const it of ncbi.items) expect(it).toMatchObject({ answerKind: 'bio', entityType: 'disease' });
    // The gold really is BIO-tagged, so the view can draw spans from it.
    expect(ncbi.items[0]!.gold[0]).toMatch(/\[[BIO]\]/);

    const pq = await call(core, 'pageRunItems', { runId: pubmedqaRun, limit: 10, show: 'wrong' });
    expect(pq.items).toHaveLength(3);
    for (const it of pq.items) expect(it).toMatchObject({ answerKind: 'labels', entityType: null });
  });

  it('getCompareItem: the same kinds for the compared item', async () => {
    const first = (await call(core, 'pageRunItems', { runId: ncbiRun, limit: 1 })).items[0]!;
    const ncbi = await call(core, 'getCompareItem', { runIds: [ncbiRun], key: `medinst32/NCBI-disease#${first.index}` });
    expect(ncbi.answerKind).toBe('bio');
    expect(ncbi.entityType).toBe('disease');

    const q = (await call(core, 'pageRunItems', { runId: pubmedqaRun, limit: 1 })).items[0]!;
    const pq = await call(core, 'getCompareItem', { runIds: [pubmedqaRun], key: `medinst32/PubMedQA-labeled#${q.index}` });
    expect(pq.answerKind).toBe('labels');
    expect(pq.entityType).toBeNull();
  });
});
