/**
 * Search grouping, facet clearing and the item view's runs through the renderer's stores against a
 * real engine (real files, real SQLite, dispatchCall validation); plus how answers are read for display.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MedtaskCore } from '../../src/core/service';
import { setClient } from '../../src/renderer/src/client/current';
import { useItemView } from '../../src/renderer/src/features/library/itemViewStore';
import { mergeHits, stillApplying, useSearch } from '../../src/renderer/src/features/search/searchStore';
import { bioSegments, bracketSegments, entityList, labelList, parseBioTokens } from '../../src/renderer/src/ui/answerParse';
import { markTerms, parseQuery } from '../../src/shared/queryTerms';
import type { SearchHit } from '../../src/shared/domain';
import { data, readRecords, tempDir } from '../helpers';
import { coreClient, settle } from './coreClient';

let home: string;
let core: MedtaskCore;

beforeAll(async () => {
  home = tempDir('medtask-renderer-group-');
  core = new MedtaskCore({ home });
  setClient(coreClient(core));
  await core.importPaths([
    data('medinst32/unseen_tests/PubMedQA-labeled.json'),
    data('medinst32/unseen_tests_zs/PubMedQA-labeled.json'),
    data('meds-bench/MCQA/task123_pubmedqa_test_set.json'),
    data('medinst32/unseen_tests/NCBI-disease.json'),
  ]);
});

afterAll(() => {
  setClient(null);
  core.close();
  fs.rmSync(home, { recursive: true, force: true });
});

const idle = () => !useSearch.getState().loading;

describe('search store', () => {
  it('one hit for three copies; opening a copy marks the query words in the item and reads its runs', async () => {
    useSearch.getState().setQuery('"tailored interventions increase mammography"');
    await settle(() => idle() && useSearch.getState().total !== null);
    const s = useSearch.getState();
    expect(s.total).toBe(3);
    expect(s.consumed).toBe(3);
    expect(s.hits).toHaveLength(1);
    expect(s.hits[0]!.copies.map((c) => c.config).sort()).toEqual(['default', 'few-shot', 'zero-shot']);
    expect(s.facets!.config.map((f) => f.value).sort()).toEqual(['default', 'few-shot', 'zero-shot']);

    const meds = s.hits[0]!.copies.find((c) => c.benchmark === 'meds-bench')!;
    await useSearch.getState().openHit(0, meds.itemId);
    const view = useItemView.getState();
    expect(view.itemId).toBe(meds.itemId);
    expect(view.item!.benchmark).toBe('meds-bench');
    expect(view.highlight).toBe('"tailored interventions increase mammography"');
    expect(view.runs!.shots.source).toBe('drawn');
    expect(view.runs!.runs).toEqual([]);
    const marked = markTerms(view.item!.input, parseQuery(view.highlight!)).filter((r) => r.marked);
    expect(marked.map((r) => r.text.toLowerCase())).toEqual(expect.arrayContaining(['tailored', 'interventions', 'increase', 'mammography']));
    useSearch.getState().clear();
  });

  it('a facet the new query no longer matches is dropped, so the new query is not filtered to nothing', async () => {
    useSearch.getState().setQuery('mammography');
    await settle(() => idle() && useSearch.getState().total !== null);
    useSearch.getState().toggleFacet('config', 'default');
    await settle(() => idle() && useSearch.getState().filters.config === 'default');
    await settle(idle);
    const meds = useSearch.getState().total!;
    expect(meds).toBeGreaterThan(0);
    expect(useSearch.getState().hits.every((h) => h.copies.every((c) => c.config === 'default'))).toBe(true);

    // Only NCBI-disease (few-shot) has this word: the MedS-Bench config filter no longer applies.
    useSearch.getState().setQuery('leukaemia');
    await settle(() => idle() && useSearch.getState().total !== null && useSearch.getState().total! > 0);
    expect(useSearch.getState().filters).toEqual({});
    expect(useSearch.getState().hits[0]!.task).toBe('NCBI-disease');
    useSearch.getState().clear();
  });

  it('folds a copy from a later page into the hit already listed, and keeps facets that still apply', () => {
    const hit = (itemId: number, key: string): SearchHit => ({
      itemId,
      taskId: 1,
      task: 't',
      benchmark: 'b',
      category: null,
      config: 'few-shot',
      split: 'test',
      index: itemId,
      field: 'input',
      snippet: '',
      recordKey: key,
      copies: [{ itemId, taskId: 1, task: 't', benchmark: 'b', config: 'few-shot', split: 'test', index: itemId }],
    });
    const merged = mergeHits([hit(1, 'a'), hit(2, 'b')], [hit(3, 'a'), hit(4, 'c')]);
    expect(merged.map((h) => h.itemId)).toEqual([1, 2, 4]);
    expect(merged[0]!.copies.map((c) => c.itemId)).toEqual([1, 3]);
    const facets = {
      benchmark: [{ value: 'x', count: 2, exact: true }],
      category: [],
      task: [],
      split: [{ value: 'test', count: 0, exact: false }],
      config: [],
      language: [],
    };
    expect(stillApplying({ benchmark: 'x', split: 'test', config: 'zero-shot' }, facets)).toEqual({ benchmark: 'x', split: 'test' });
  });
});

describe('answers as a clinician reads them', () => {
  const ncbi = readRecords<{ input: string; output: string }>(data('medinst32/unseen_tests/NCBI-disease.json'));

  it('BIO tags of a real NCBI-disease record become its disease spans over the same words', () => {
    const first = ncbi[0]!;
    const segs = bioSegments(first.output);
    expect(segs.filter((s) => s.entity).map((s) => s.text)).toEqual(['ataxia - telangiectasia', 'sporadic T - cell leukaemia']);
    // The words are the input's, in order.
    expect(segs.map((s) => s.text).join(' ')).toBe(first.input);
    // Every real record reads back to its input.
    for (const r of ncbi)
      expect(
        parseBioTokens(r.output)
          .map((t) => t.word)
          .join(' '),
      ).toBe(r.input);
  });

  it('typed tags, a stray I, bracketed entities, entity lists and labels', () => {
    expect(bioSegments('Aspirin [B-Chemical] causes [O] Reye [B-Disease] syndrome [I-Disease]').filter((s) => s.entity)).toEqual([
      { text: 'Aspirin', entity: { type: 'Chemical' } },
      { text: 'Reye syndrome', entity: { type: 'Disease' } },
    ]);
    expect(
      bioSegments('a [O] b [I] c [I]')
        .filter((s) => s.entity)
        .map((s) => s.text),
    ).toEqual(['b c']);
    expect(
      bracketSegments('The [BRCA1] gene in [breast cancer].')
        .filter((s) => s.entity)
        .map((s) => s.text),
    ).toEqual(['BRCA1', 'breast cancer']);
    expect(entityList('asthma, copd.')).toEqual(['asthma', 'copd']);
    expect(entityList('There is no related enetity.')).toEqual([]);
    expect(labelList('activating invasion and metastasis, sustaining proliferative signaling')).toEqual([
      'activating invasion and metastasis',
      'sustaining proliferative signaling',
    ]);
    expect(labelList('yes')).toEqual(['yes']);
    expect(labelList('x'.repeat(300))).toBeNull();
  });
});
