// Reviews in the compare workbench on a real library file: the Compare rows filtered by review tag,
// verdict and severity (combined with the metric filters, with counts), and comparison-scope
// sessions holding exactly the rows the Compare view shows for the same filter.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MedtaskCore } from '../../src/core/service';
import { tempDir } from '../helpers';
import { dispatchCall, unwrap } from '../../src/shared/dispatch';
import type { CallInput, CallName, CallResults } from '../../src/shared/contract';
import { defaultFilter, filterRows, type CompareFilter, type CompareResult } from '../../src/shared/compare';
import { NO_REVIEW_FILTER, type ReviewFilter } from '../../src/shared/compareReviews';
import { PUBMEDQA_ZS, twoRuns, writePredictions } from './fixtures';

let dir: string;
let core: MedtaskCore;
let runA: number;
let runB: number;
let runC: number;

type Calls = { [N in CallName]: (input: CallInput<N>) => Promise<CallResults[N]> };
/** Calls go through the contract's validation, as the hosts send them. */
const h = new Proxy({} as Calls, { get: (_t, name: CallName) => async (input: unknown) => unwrap(await dispatchCall(core.handlers, name, input)) });
const tagId = async (name: string) => (await h.listAnnotationTags({})).find((t) => t.name === name)!.id;
const key = (i: number) => `medinst32/PubMedQA-labeled#${i}`;

beforeAll(async () => {
  dir = tempDir('medtask-ann-compare-');
  core = new MedtaskCore({ home: path.join(dir, 'home') });
  const libFile = path.join(dir, 'medinst32/unseen_tests_zs/PubMedQA-labeled.json');
  fs.mkdirSync(path.dirname(libFile), { recursive: true });
  fs.copyFileSync(PUBMEDQA_ZS, libFile);
  await core.importPaths([libFile]);
  const { a, b } = await twoRuns(core, dir, 10);
  runA = a.id;
  runB = b.id;
  // A third run with only the first 6 items, wrong on item 0.
  const c = await h.importPredictions({
    file: writePredictions(dir, 'model-gamma', 6, (i, g) => (i === 0 ? (g === 'yes' ? 'no' : 'yes') : g)),
    name: 'gamma run',
  });
  runC = c.id;

  const hall = await tagId('hallucinated finding');
  const omitted = await tagId('omitted critical finding');
  const goldWrong = await tagId('gold answer wrong');
  // alice on run B: items 1, 3, 5 hallucinated and incorrect, of rising and falling harm.
  const alice = await h.createAnnotationSession({ reviewer: 'alice', scope: { kind: 'run', runId: runB } });
  const harm = { 1: 'moderate', 3: 'severe', 5: 'mild' } as const;
  for (const ord of [1, 3, 5] as const) await h.annotate({ sessionId: alice.id, ord, column: 0, tagIds: [hall], verdict: 'incorrect', severity: harm[ord] });
  // bob on run A: item 0 partly right with an omission; item 3 incorrect, moderate.
  const bob = await h.createAnnotationSession({ reviewer: 'bob', scope: { kind: 'run', runId: runA } });
  await h.annotate({ sessionId: bob.id, ord: 0, column: 0, tagIds: [omitted], verdict: 'partly', severity: 'none' });
  await h.annotate({ sessionId: bob.id, ord: 3, column: 0, verdict: 'incorrect', severity: 'moderate' });
  // carol on the item itself: item 4's gold is wrong.
  const carol = await h.createAnnotationSession({ reviewer: 'carol', scope: { kind: 'comparison', runIds: [runA, runB] } });
  await h.annotate({ sessionId: carol.id, ord: 4, column: null, tagIds: [goldWrong] });
});

afterAll(async () => {
  await core.dispose();
});

const keys = (res: CompareResult, f: CompareFilter) => filterRows(res, f).indexes.map((i) => res.rows[i]!.key);
const withReview = (res: CompareResult, review: Partial<ReviewFilter>, base: Partial<CompareFilter> = {}): CompareFilter => ({
  ...defaultFilter(res.runs.length, res.baseline),
  ...base,
  review: { ...NO_REVIEW_FILTER, ...review },
});

describe('compare rows filtered by review', () => {
  it('carries every reviewer’s tags, verdicts and highest severity per output and for the item', async () => {
    const res = await h.compareRuns({ runIds: [runA, runB] });
    expect(res.rows.map((r) => r.key)).toEqual([...Array(10).keys()].map(key));
    const reviews = res.reviews!;
    expect(reviews.reviewed).toBe(5); // items 0, 1, 3, 4, 5
    const t = (name: string) => reviews.tags.indexOf(name);
    const row3 = reviews.rows[3]!;
    expect(row3.runs[0]).toEqual({ tags: [], verdicts: [0, 0, 1], severity: 2, reviewers: 1 });
    expect(row3.runs[1]).toEqual({ tags: [t('hallucinated finding')], verdicts: [0, 0, 1], severity: 3, reviewers: 1 });
    expect(reviews.rows[4]!.item!.tags).toEqual([t('gold answer wrong')]);
    expect(reviews.rows[2]).toBeNull();
  });

  it('"has tag X on run R", "any reviewer said incorrect", "severity at least moderate", with counts', async () => {
    const res = await h.compareRuns({ runIds: [runA, runB] });
    const hallIdx = res.reviews!.tags.indexOf('hallucinated finding');
    // Tag on run B (index 1): alice's three.
    const onB = withReview(res, { tag: 'hallucinated finding', run: 1 });
    expect(keys(res, onB)).toEqual([1, 3, 5].map(key));
    const counts = filterRows(res, onB).counts;
    expect(counts.shown).toBe(3);
    expect(counts.review!.tags[hallIdx]).toBe(3);
    expect(counts.review!.tags[res.reviews!.tags.indexOf('omitted critical finding')]).toBe(0); // on run B: nobody
    // The same tag on run A: none.
    expect(keys(res, withReview(res, { tag: 'hallucinated finding', run: 0 }))).toEqual([]);
    // Tag names match without regard to case; a tag the taxonomy lacks keeps nothing.
    expect(keys(res, withReview(res, { tag: 'HALLUCINATED FINDING', run: null }))).toEqual([1, 3, 5].map(key));
    expect(keys(res, withReview(res, { tag: 'no such tag' }))).toEqual([]);
    // Any reviewer, any run, said incorrect: items 1, 3, 5 (item 3 by both).
    const incorrect = withReview(res, { verdict: 'incorrect' });
    expect(keys(res, incorrect)).toEqual([1, 3, 5].map(key));
    // Severity at least moderate: item 1 (B moderate) and 3 (B severe, A moderate).
    const severe = withReview(res, { minSeverity: 'moderate' });
    expect(keys(res, severe)).toEqual([1, 3].map(key));
    // Counts of each severity level with nothing else chosen: at least none / mild / moderate / severe.
    const plain = filterRows(res, withReview(res, {})).counts.review!;
    expect(plain.severity).toEqual({ none: 4, mild: 3, moderate: 2, severe: 1 });
    expect(plain.verdict).toEqual({ correct: 0, partly: 1, incorrect: 3 });
    expect(plain.reviewed).toBe(5);
    expect(plain.tags[res.reviews!.tags.indexOf('gold answer wrong')]).toBe(1);
    // Conditions hold on one output: a partly verdict was never given with the hallucination tag.
    expect(keys(res, withReview(res, { tag: 'hallucinated finding', verdict: 'partly' }))).toEqual([]);
    expect(keys(res, withReview(res, { tag: 'omitted critical finding', verdict: 'partly' }))).toEqual([key(0)]);
  });

  it('combines with the right/wrong, agreement and task filters, each count holding the others', async () => {
    const res = await h.compareRuns({ runIds: [runA, runB] });
    // A right, B wrong is items 1, 3, 5; with "severity at least severe" only item 3.
    const both = withReview(res, { minSeverity: 'severe' }, { outcome: 'a-right-b-wrong', a: 0, b: 1 });
    expect(keys(res, both)).toEqual([key(3)]);
    const counts = filterRows(res, both).counts;
    expect(counts.outcome['a-right-b-wrong']).toBe(1);
    expect(counts.outcome.any).toBe(1);
    expect(counts.review!.severity).toEqual({ none: 3, mild: 3, moderate: 2, severe: 1 });
    // The gold-wrong item 4 is one both runs got right: outcome "all right" keeps it, "A right, B wrong" does not.
    expect(keys(res, withReview(res, { tag: 'gold answer wrong' }, { outcome: 'all-right' }))).toEqual([key(4)]);
    expect(keys(res, withReview(res, { tag: 'gold answer wrong' }, { outcome: 'a-right-b-wrong', a: 0, b: 1 }))).toEqual([]);
    expect(keys(res, withReview(res, { verdict: 'incorrect' }, { agreement: 'agree' }))).toEqual([]);
    // Outputs differ exactly on B's wrong items.
    expect(keys(res, withReview(res, { verdict: 'incorrect' }, { agreement: 'differ' }))).toEqual([1, 3, 5].map(key));
  });

  it('a compare result without reviews (a caller that did not ask) filters as before', async () => {
    const res = await h.compareRuns({ runIds: [runA, runB] });
    const bare = { ...res, reviews: undefined };
    expect(keys(bare, defaultFilter(2))).toHaveLength(10);
    expect(filterRows(bare, defaultFilter(2)).counts.review).toBeUndefined();
    // With a review filter set but no reviews, nothing can match.
    expect(keys(bare, withReview(res, { verdict: 'incorrect' }))).toEqual([]);
  });
});

describe('comparison-scope sessions use the compare workbench', () => {
  it('holds exactly the rows the Compare view shows for the same filter, in its order', async () => {
    for (const runIds of [
      [runA, runB],
      [runB, runA, runC],
    ]) {
      const res = await h.compareRuns({ runIds });
      const filters: CompareFilter[] = [
        defaultFilter(runIds.length),
        { ...defaultFilter(runIds.length), outcome: 'a-right-b-wrong', a: 0, b: 1 },
        { ...defaultFilter(runIds.length), outcome: 'b-right-a-wrong', a: 0, b: 1 },
        { ...defaultFilter(runIds.length), agreement: 'differ' },
        withReview(res, { verdict: 'incorrect' }),
        withReview(res, { minSeverity: 'mild', run: runIds.indexOf(runB) }, { outcome: 'b-right-a-wrong', a: 0, b: runIds.indexOf(runB) }),
        withReview(res, { tag: 'gold answer wrong' }),
      ];
      for (const view of filters) {
        const want = keys(res, view);
        if (want.length === 0) {
          await expect(h.createAnnotationSession({ reviewer: 'dora', scope: { kind: 'comparison', runIds, view } })).rejects.toThrow(/holds no items/);
          continue;
        }
        const s = await h.createAnnotationSession({ reviewer: 'dora', scope: { kind: 'comparison', runIds, view } });
        expect((await h.listSessionItems({ sessionId: s.id })).map((r) => r.itemKey)).toEqual(want);
      }
      // Three runs align on the items all three have (run C holds 6).
      expect(res.rows).toHaveLength(runIds.length === 3 ? 6 : 10);
    }
  });

  it("the session's own A/B words follow the compare rule of right and wrong", async () => {
    const res = await h.compareRuns({ runIds: [runB, runC] });
    const s = await h.createAnnotationSession({ reviewer: 'dora', scope: { kind: 'comparison', runIds: [runB, runC], filter: 'a-wrong-b-right' } });
    expect((await h.listSessionItems({ sessionId: s.id })).map((r) => r.itemKey)).toEqual(
      keys(res, { ...defaultFilter(2), outcome: 'b-right-a-wrong', a: 0, b: 1 }),
    );
    // Search narrows the scope as it narrows the view.
    const text = res.rows[2]!.input.split(/\s+/).slice(1, 4).join(' ');
    const searched = await h.compareRuns({ runIds: [runB, runC], search: text });
    const s2 = await h.createAnnotationSession({ reviewer: 'dora', scope: { kind: 'comparison', runIds: [runB, runC], search: text } });
    expect((await h.listSessionItems({ sessionId: s2.id })).map((r) => r.itemKey)).toEqual(searched.rows.map((r) => r.key));
  });

  it('refuses a view naming a run outside the comparison', async () => {
    await expect(
      h.createAnnotationSession({ reviewer: 'dora', scope: { kind: 'comparison', runIds: [runA, runB], view: { ...defaultFilter(2), b: 5 } } }),
    ).rejects.toThrow(/scope.view.b: run 5 is not one of the 2 compared runs/);
  });
});

describe('leaderboard review counts', () => {
  it('per run × task: tag, verdict and harm counts, and the score adjusted by review beside the automatic one', async () => {
    const lb = await h.leaderboard({});
    const task = 'medinst32/PubMedQA-labeled';
    const entry = (id: number) => lb.entries.find((e) => e.runId === id)!;
    // Run B: alice's three hallucinations, judged incorrect where the metric already said wrong.
    const b = entry(runB).reviews![task]!;
    expect(b).toMatchObject({
      annotated: 3,
      verdicts: 3,
      tags: { 'hallucinated finding': 3 },
      verdictCounts: { incorrect: 3 },
      severityCounts: { moderate: 1, severe: 1, mild: 1 },
    });
    expect(b.automatic).toBeCloseTo(0.7, 12);
    expect(b.adjusted).toBeCloseTo(0.7, 12);
    // PubMedQA's primary metric is a corpus macro F1: the cell is that, the review columns are item means (labelled so).
    expect(entry(runB).cells[task]!.estimate).not.toBeCloseTo(b.automatic!, 3);
    // Run A: right everywhere by the metric; bob judged item 0 partly right and item 3 incorrect: (8 + 0.5 + 0) / 10.
    const a = entry(runA).reviews![task]!;
    expect(a).toMatchObject({ annotated: 2, verdicts: 2, tags: { 'omitted critical finding': 1 }, verdictCounts: { partly: 1, incorrect: 1 } });
    expect(a.severityCounts).toEqual({ none: 1, moderate: 1 });
    expect(a.automatic).toBeCloseTo(1, 12);
    expect(a.adjusted).toBeCloseTo(0.85, 12);
    // Run C: nobody annotated its outputs; item annotations (gold wrong) belong to no run.
    expect(entry(runC).reviews).toBeUndefined();
  });
});
