// Sessions and annotations on a real library file: scopes, blind mode, identities across re-score,
// restart and re-import, orphans of a changed file, agreement, export/import/merge, report.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MedtaskCore } from '../../src/core/service';
import { cohenKappa, fleissKappa } from '../../src/core/annotations/agreement';
import { tempDir } from '../helpers';
import { dispatchCall, unwrap } from '../../src/shared/dispatch';
import type { CallInput, CallName, CallResults } from '../../src/shared/contract';
import { PUBMEDQA_ZS, twoRuns } from './fixtures';

let dir: string;
let home: string;
let core: MedtaskCore;
let runA: number;
let runB: number;

beforeAll(async () => {
  dir = tempDir('medtask-ann-');
  home = path.join(dir, 'home');
  // The library file sits in a MedINST32 layout under our own folder, so it can be changed later.
  const libFile = path.join(dir, 'medinst32/unseen_tests_zs/PubMedQA-labeled.json');
  fs.mkdirSync(path.dirname(libFile), { recursive: true });
  fs.copyFileSync(PUBMEDQA_ZS, libFile);
  core = new MedtaskCore({ home });
  await core.importPaths([libFile]);
  const { a, b } = await twoRuns(core, dir);
  runA = a.id;
  runB = b.id;
});

afterAll(async () => {
  await core.dispose();
});

/** Calls go through the contract's validation, as the hosts send them (defaults filled in). */
function client(c: () => MedtaskCore): MedtaskClientCalls {
  return new Proxy({} as MedtaskClientCalls, {
    get: (_t, name: CallName) => async (input: unknown) => unwrap(await dispatchCall(c().handlers, name, input)),
  });
}
type MedtaskClientCalls = { [N in CallName]: (input: CallInput<N>) => Promise<CallResults[N]> };
const h = () => client(() => core);
const tagId = async (name: string) => (await h().listAnnotationTags({})).find((t) => t.name === name)!.id;

describe('annotation sessions', () => {
  it('starts with the clinical default taxonomy on digits 1-9, editable', async () => {
    const tags = await h().listAnnotationTags({});
    expect(tags.map((t) => t.name)).toContain('hallucinated finding');
    expect(tags.map((t) => t.name)).toContain('gold answer wrong');
    expect(tags.map((t) => t.hotkey)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const added = await h().saveAnnotationTag({ name: 'negation error', color: '#123456', hotkey: null });
    await expect(h().saveAnnotationTag({ id: added.id, name: 'negation error', color: '#123456', hotkey: 1 })).rejects.toThrow(
      /hotkey 1 is already "hallucinated finding"/,
    );
    await expect(h().saveAnnotationTag({ name: 'Negation Error', color: '#123456', hotkey: null })).rejects.toThrow(/already exists/);
  });

  it('a comparison filtered to "A right, B wrong" holds exactly the items B got wrong', async () => {
    const s = await h().createAnnotationSession({ reviewer: 'alice', scope: { kind: 'comparison', runIds: [runA, runB], filter: 'a-right-b-wrong' } });
    const rows = await h().listSessionItems({ sessionId: s.id });
    expect(rows.map((r) => r.itemKey)).toEqual([1, 3, 5].map((i) => `medinst32/PubMedQA-labeled#${i}`));
    expect(s.total).toBe(3);
    // Predictions files carry no inputs: the session shows the library's.
    expect((await h().getSessionItem({ sessionId: s.id, ord: 0 })).input).toMatch(/^Question: /);
    const sample = await h().createAnnotationSession({ reviewer: 'alice', scope: { kind: 'sample', runIds: [runA, runB], n: 4, seed: 7 } });
    const again = await h().createAnnotationSession({ reviewer: 'alice', scope: { kind: 'sample', runIds: [runA, runB], n: 4, seed: 7 } });
    expect((await h().listSessionItems({ sessionId: sample.id })).map((r) => r.itemKey)).toEqual(
      (await h().listSessionItems({ sessionId: again.id })).map((r) => r.itemKey),
    );
    expect(sample.total).toBe(4);
  });

  it('blind mode hides runs, shuffles columns per item by seed, maps columns to the right run, reveals at the end', async () => {
    const s = await h().createAnnotationSession({ reviewer: 'alice', scope: { kind: 'comparison', runIds: [runA, runB] }, blind: true, seed: 11 });
    expect(s.runs.every((r) => r.name === null && r.runId === null)).toBe(true);
    expect(JSON.stringify(s)).not.toMatch(/alpha|beta/);
    const orders: string[] = [];
    for (let ord = 0; ord < 8; ord++) {
      const item = await h().getSessionItem({ sessionId: s.id, ord });
      expect(item.columns.map((c) => c.label)).toEqual(['Output A', 'Output B']);
      expect(JSON.stringify(item)).not.toMatch(/alpha|beta/);
      orders.push(item.columns.map((c) => c.output).join('|'));
    }
    // Item 1: B answered the opposite of gold; find B's column and annotate it.
    const item1 = await h().getSessionItem({ sessionId: s.id, ord: 1 });
    const bColumn = item1.columns.find((c) => c.output !== item1.gold[0])!.column;
    await h().annotate({
      sessionId: s.id,
      ord: 1,
      column: bColumn,
      tagIds: [await tagId('hallucinated finding')],
      verdict: 'incorrect',
      severity: 'moderate',
      note: 'wrong label',
    });
    const again = await h().getSessionItem({ sessionId: s.id, ord: 1 });
    expect(again.columns.map((c) => c.output)).toEqual(item1.columns.map((c) => c.output));
    const ended = await h().endAnnotationSession({ sessionId: s.id });
    expect(ended.runs.map((r) => r.name)).toEqual(['alpha run', 'beta run']);
    const revealed = await h().getSessionItem({ sessionId: s.id, ord: 1 });
    const annotated = revealed.columns.find((c) => c.annotation.verdict === 'incorrect')!;
    expect(annotated.label).toBe('beta run');
    expect(annotated.runId).toBe(runB);
    // Seeded shuffles differ between items for some seed: check the permutation function directly over many items.
    const { columnOrder } = await import('../../src/core/annotations/runItems');
    const perms = new Set([...Array(40).keys()].map((o) => columnOrder(3, true, 11, o).join('')));
    expect(perms.size).toBeGreaterThan(2);
    expect(columnOrder(3, false, 11, 5)).toEqual([0, 1, 2]);
  });

  it('keeps automatic scores and reports scores adjusted by review beside them', async () => {
    const s = await h().createAnnotationSession({ reviewer: 'carol', scope: { kind: 'run', runId: runA } });
    await h().annotate({ sessionId: s.id, ord: 0, column: 0, verdict: 'incorrect' });
    await h().annotate({ sessionId: s.id, ord: 2, column: 0, verdict: 'partly' });
    const d = await h().getAnnotationSession({ sessionId: s.id });
    const adj = d.adjusted![0]!;
    expect(adj.automatic).toBe(1);
    expect(adj.reviewed).toBe(2);
    expect(adj.adjusted).toBeCloseTo((6 + 0 + 0.5) / 8, 12);
    const run = await h().getRun({ runId: runA });
    expect(Object.values(run.scores[0]!.metrics)).toContain(1);
    expect(d.reviewed).toBe(2);
    await h().setSessionPosition({ sessionId: s.id, ord: 2 });
    expect((await h().getAnnotationSession({ sessionId: s.id })).position).toBe(2);
    // Clearing everything deletes the annotation (undo back to nothing leaves nothing behind).
    await h().annotate({ sessionId: s.id, ord: 2, column: 0 });
    expect((await h().getAnnotationSession({ sessionId: s.id })).reviewed).toBe(1);
  });

  it('identities survive re-scoring, a restart and re-import of the unchanged file', async () => {
    const s = await h().createAnnotationSession({ reviewer: 'dave', scope: { kind: 'comparison', runIds: [runA, runB] } });
    await h().annotate({ sessionId: s.id, ord: 3, column: 1, tagIds: [await tagId('missed label')], verdict: 'incorrect', severity: 'mild', note: 'said no' });
    await h().annotate({ sessionId: s.id, ord: 4, column: null, tagIds: [await tagId('gold answer wrong')], note: 'gold looks wrong' });
    const before = await h().getSessionItem({ sessionId: s.id, ord: 3 });
    await h().rescoreRun({ runId: runB, mode: 'corrected' });
    await core.importPaths([path.join(dir, 'medinst32/unseen_tests_zs/PubMedQA-labeled.json')]);
    await core.dispose();
    core = new MedtaskCore({ home });
    const after = await h().getSessionItem({ sessionId: s.id, ord: 3 });
    expect(after.columns[1]!.annotation).toEqual(before.columns[1]!.annotation);
    expect((await h().getSessionItem({ sessionId: s.id, ord: 4 })).item.note).toBe('gold looks wrong');
    expect(await h().annotationOrphans({})).toEqual([]);
  });

  it('a changed benchmark file keeps annotations of unchanged items and reports the ones it orphaned', async () => {
    const file = path.join(dir, 'medinst32/unseen_tests_zs/PubMedQA-labeled.json');
    const lines = fs.readFileSync(file, 'utf8').trim().split('\n');
    const rec = JSON.parse(lines[3]!) as { input: string };
    rec.input = `${rec.input} (corrected abstract)`;
    lines[3] = JSON.stringify(rec);
    fs.writeFileSync(file, `${lines.join('\n')}\n`);
    await core.importPaths([file]);
    const orphans = await h().annotationOrphans({});
    expect(orphans.map((o) => o.itemKey).sort()).toEqual(['medinst32/PubMedQA-labeled#3']);
    expect(orphans[0]!.reason).toBe('changed');
    expect(orphans[0]!.reviewer).toBe('dave');
    // Item 4 is unchanged: its annotation is still there and not orphaned.
    const all = await h().listAnnotationSessions({});
    const dave = all.find((x) => x.reviewer === 'dave')!;
    expect((await h().getSessionItem({ sessionId: dave.id, ord: 4 })).item.note).toBe('gold looks wrong');
  });

  it("agreement: Cohen's kappa for two reviewers and Fleiss' for three, with a disagreements filter", async () => {
    const scope = { kind: 'comparison' as const, runIds: [runA, runB] };
    const verdicts: Record<string, ('correct' | 'partly' | 'incorrect')[]> = {
      erin: ['correct', 'correct', 'incorrect', 'partly', 'correct', 'incorrect', 'correct', 'correct'],
      fay: ['correct', 'partly', 'incorrect', 'partly', 'correct', 'correct', 'correct', 'incorrect'],
      gus: ['correct', 'partly', 'incorrect', 'incorrect', 'correct', 'correct', 'partly', 'incorrect'],
    };
    const hall = await tagId('hallucinated finding');
    const sessions: Record<string, number> = {};
    for (const [reviewer, vs] of Object.entries(verdicts)) {
      const s = await h().createAnnotationSession({ reviewer, scope });
      sessions[reviewer] = s.id;
      for (let ord = 0; ord < 8; ord++) {
        // Column 0 is run A in a non-blind session.
        await h().annotate({ sessionId: s.id, ord, column: 0, verdict: vs[ord]!, tagIds: (reviewer === 'erin' ? ord < 3 : ord < 2) ? [hall] : [] });
      }
    }
    // Earlier tests' reviewers annotated parts of this scope too: name the three compared.
    const three = await h().annotationAgreement({ sessionId: sessions.erin!, reviewers: ['erin', 'fay', 'gus'] });
    expect(three.reviewers).toEqual(['erin', 'fay', 'gus']);
    expect(three.verdict!.method).toBe('fleiss');
    expect(three.verdict!.units).toBe(8);
    expect(three.verdict!.kappa).toBeCloseTo(
      fleissKappa([...Array(8).keys()].map((i) => [verdicts.erin![i]!, verdicts.fay![i]!, verdicts.gus![i]!])).kappa!,
      12,
    );
    expect(three.verdict!.counts).toEqual({ correct: 12, partly: 5, incorrect: 7 });
    const tag = three.tags.find((t) => t.tag === 'hallucinated finding')!;
    expect(tag.units).toBe(8);
    const disagreements = await h().listSessionItems({ sessionId: sessions.erin!, filter: 'disagreements' });
    // Item 0: all said correct, but alice/carol/dave annotated other outputs of the scope too.
    expect(disagreements.map((r) => r.ord)).toEqual([0, 1, 2, 3, 5, 6, 7]);
    const everyone = await h().annotationAgreement({ sessionId: sessions.erin! });
    expect(everyone.reviewers.length).toBeGreaterThan(3);
    expect(everyone.note).toMatch(/not annotated by every reviewer/);
    // Two reviewers: a fresh library-wide pair on run B only.
    const s1 = await h().createAnnotationSession({ reviewer: 'hana', scope: { kind: 'run', runId: runB } });
    const s2 = await h().createAnnotationSession({ reviewer: 'ivan', scope: { kind: 'run', runId: runB } });
    const hv = ['correct', 'incorrect', 'correct', 'incorrect', 'correct', 'incorrect', 'correct', 'correct'] as const;
    const iv = ['correct', 'incorrect', 'correct', 'correct', 'correct', 'incorrect', 'incorrect', 'correct'] as const;
    const hs = ['none', 'severe', 'none', 'moderate', 'mild', 'severe', 'none', 'none'] as const;
    const is = ['none', 'moderate', 'none', 'severe', 'none', 'severe', 'mild', 'none'] as const;
    for (let ord = 0; ord < 8; ord++) {
      await h().annotate({ sessionId: s1.id, ord, column: 0, verdict: hv[ord]!, severity: hs[ord]! });
      await h().annotate({ sessionId: s2.id, ord, column: 0, verdict: iv[ord]!, severity: is[ord]! });
    }
    const two = await h().annotationAgreement({ sessionId: s1.id, reviewers: ['hana', 'ivan'] });
    expect(two.reviewers).toEqual(['hana', 'ivan']);
    expect(two.verdict!.method).toBe('cohen');
    expect(two.verdict!.kappa).toBeCloseTo(cohenKappa([...hv], [...iv]).kappa!, 12);
    expect(two.verdict!.kappa).toBeCloseTo(0.4666666666666667, 12);
    // Severity is ordinal: sklearn's cohen_kappa_score(hs, is, labels=SEVERITIES, weights='linear'|'quadratic').
    expect(two.severityWeighted!.method).toBe('cohen');
    expect(two.severityWeighted!.units).toBe(8);
    expect(two.severityWeighted!.linear).toBeCloseTo(0.627906976744186, 12);
    expect(two.severityWeighted!.quadratic).toBeCloseTo(0.8446601941747574, 12);
    expect(two.severityWeighted!.quadratic!).toBeGreaterThan(two.severity!.kappa!);
  });

  it('exports JSON and CSV, re-imports into a fresh library identically, and lists conflicts instead of overwriting', async () => {
    const dave = (await h().listAnnotationSessions({})).find((x) => x.reviewer === 'dave')!;
    const json = path.join(dir, 'dave.json');
    const csv = path.join(dir, 'dave.csv');
    const ex = await h().exportAnnotations({ sessionId: dave.id, format: 'json', out: json });
    expect(ex.count).toBe(2);
    await expect(h().exportAnnotations({ sessionId: dave.id, format: 'json', out: json })).rejects.toThrow(/already exists/);
    await h().exportAnnotations({ sessionId: dave.id, format: 'csv', out: csv });
    const csvText = fs.readFileSync(csv, 'utf8');
    expect(csvText.split('\r\n')[0]).toBe('item,benchmark,task,index,gold,run,model,run_uid,output,metrics,tags,verdict,severity,note,reviewer,time,input');
    expect(csvText).toContain('missed label');
    expect(csvText).toContain('beta run');
    const file = JSON.parse(fs.readFileSync(json, 'utf8')) as {
      annotations: { run: { name: string } | null; output: string | null; metrics: object | null }[];
    };
    const runRec = file.annotations.find((a) => a.run)!;
    expect(runRec.run!.name).toBe('beta run');
    expect(runRec.metrics).not.toBeNull();

    const fresh = new MedtaskCore({ home: path.join(dir, 'fresh') });
    try {
      const f = client(() => fresh);
      const imported = await f.importAnnotations({ file: json });
      expect(imported).toMatchObject({ added: 2, unchanged: 0, conflicts: [] });
      const back = path.join(dir, 'back.json');
      await f.exportAnnotations({ format: 'json', out: back });
      const strip = (f: string) =>
        (JSON.parse(fs.readFileSync(f, 'utf8')) as { annotations: Record<string, unknown>[] }).annotations.map((a) => {
          const { input: _i, gold: _g, output: _o, metrics: _m, run, ...rest } = a as { run: { uid: string; name: string } | null } & Record<string, unknown>;
          return { ...rest, run: run ? { uid: run.uid, name: run.name } : null };
        });
      expect(strip(back)).toEqual(strip(json));
      expect((await f.importAnnotations({ file: json })).unchanged).toBe(2);
      // A colleague changed a note: listed as a conflict, the local one kept until taken.
      const changed = JSON.parse(fs.readFileSync(json, 'utf8')) as { annotations: { note: string }[] };
      changed.annotations[0]!.note = 'a different note';
      const changedFile = path.join(dir, 'changed.json');
      fs.writeFileSync(changedFile, JSON.stringify(changed));
      const merged = await f.importAnnotations({ file: changedFile });
      expect(merged.conflicts).toHaveLength(1);
      expect(merged.conflicts[0]!.incoming.note).toBe('a different note');
      expect(merged.unchanged).toBe(1);
      const kept = path.join(dir, 'kept.json');
      await f.exportAnnotations({ format: 'json', out: kept });
      expect(fs.readFileSync(kept, 'utf8')).not.toContain('a different note');
      const taken = await f.importAnnotations({ file: changedFile, take: [merged.conflicts[0]!.key] });
      expect(taken.taken).toBe(1);
      await f.exportAnnotations({ format: 'json', out: kept, overwrite: true });
      expect(fs.readFileSync(kept, 'utf8')).toContain('a different note');
    } finally {
      await fresh.dispose();
    }
  });

  it('writes a self-contained HTML report with inline SVG charts and every annotation escaped', async () => {
    const s = await h().createAnnotationSession({ reviewer: 'jo', scope: { kind: 'comparison', runIds: [runA, runB] }, blind: true, seed: 3 });
    await h().annotate({
      sessionId: s.id,
      ord: 1,
      column: 0,
      tagIds: [await tagId('unsafe recommendation')],
      verdict: 'incorrect',
      severity: 'severe',
      note: '<script>alert(1)</script> & <img src=x onerror=alert(2)>',
    });
    await h().endAnnotationSession({ sessionId: s.id });
    const out = path.join(dir, 'report.html');
    await h().writeAnnotationReport({ sessionId: s.id, out });
    const html = fs.readFileSync(out, 'utf8');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(2)&gt;');
    expect(html).not.toMatch(/<script|<img|<link|<iframe|src=["']?https?:|href=["']?https?:/i);
    expect(html).toContain('<svg role="img"');
    expect(html).toContain('adjusted by review');
    expect(html).toContain('alpha run');
    expect(html).toContain('Content-Security-Policy" content="default-src \'none\'');
  });
});
