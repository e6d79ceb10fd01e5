// A run's identity across two workstations (two real library files): predictions imported on both
// get the same uid from their content, and annotations exported on one find the run on the other,
// whether it came there by uid or only as a predictions file exported from a run with another uid.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MedtaskCore } from '../../src/core/service';
import { runContentUid } from '../../src/core/annotations/runIdentity';
import { dispatchCall, unwrap } from '../../src/shared/dispatch';
import type { CallInput, CallName, CallResults } from '../../src/shared/contract';
import { tempDir } from '../helpers';
import { PUBMEDQA_ZS, writePredictions } from './fixtures';

type Calls = { [N in CallName]: (input: CallInput<N>) => Promise<CallResults[N]> };
const client = (core: () => MedtaskCore) =>
  new Proxy({} as Calls, { get: (_t, name: CallName) => async (input: unknown) => unwrap(await dispatchCall(core().handlers, name, input)) });

let dir: string;
let coreA: MedtaskCore;
let coreB: MedtaskCore;
const a = client(() => coreA);
const b = client(() => coreB);
const uidOf = (core: MedtaskCore, id: number) => core.db.prepare('SELECT uid FROM runs WHERE id = ?').pluck().get(id) as string;
const other = (g: string) => (g === 'yes' ? 'no' : 'yes');

beforeAll(async () => {
  dir = tempDir('medtask-ann-uid-');
  coreA = new MedtaskCore({ home: path.join(dir, 'workstation-a') });
  coreB = new MedtaskCore({ home: path.join(dir, 'workstation-b') });
  await coreA.importPaths([PUBMEDQA_ZS]);
  await coreB.importPaths([PUBMEDQA_ZS]);
});

afterAll(async () => {
  await coreA.dispose();
  await coreB.dispose();
});

describe('run identity across workstations', () => {
  it('the same predictions file gets the same run uid in two libraries; a second copy in one library gets its own', async () => {
    const file = writePredictions(dir, 'shared-preds', 8, (i, g) => (i % 3 === 0 ? other(g) : g));
    const ra = await a.importPredictions({ file, name: 'on A' });
    const rb = await b.importPredictions({ file, name: 'on B' });
    expect(uidOf(coreA, ra.id)).toMatch(/^[0-9a-f]{32}$/);
    expect(uidOf(coreA, ra.id)).toBe(uidOf(coreB, rb.id));
    expect(uidOf(coreA, ra.id)).toBe(runContentUid(coreA.db, ra.id));
    const again = await a.importPredictions({ file, name: 'on A again' });
    expect(uidOf(coreA, again.id)).not.toBe(uidOf(coreA, ra.id));
    // Different outputs, different uid.
    const changed = await a.importPredictions({ file: writePredictions(dir, 'changed', 8, (_, g) => g), name: 'changed' });
    expect(uidOf(coreA, changed.id)).not.toBe(uidOf(coreA, ra.id));
  });

  it("annotations on A's run reach B's copy of it, which came in as the run's predictions export", async () => {
    // On A, a run with a random uid, as every run generated on a workstation has (the migration's trigger
    // gives one); it is made from a predictions file here only so the test needs no model.
    const file = writePredictions(dir, 'gamma', 8, (i, g) => (i < 2 ? other(g) : g));
    const run = await a.importPredictions({ file, name: 'gamma' });
    coreA.db.prepare('UPDATE runs SET uid = lower(hex(randomblob(16))) WHERE id = ?').run(run.id);
    const runUidA = uidOf(coreA, run.id);
    expect(runUidA).not.toBe(runContentUid(coreA.db, run.id));
    const hall = (await a.listAnnotationTags({})).find((t) => t.name === 'hallucinated finding')!.id;
    const s = await a.createAnnotationSession({ reviewer: 'ana', scope: { kind: 'run', runId: run.id } });
    await a.annotate({ sessionId: s.id, ord: 0, column: 0, tagIds: [hall], verdict: 'incorrect', severity: 'severe', note: 'invented a trial' });
    await a.annotate({ sessionId: s.id, ord: 1, column: 0, verdict: 'incorrect', severity: 'mild' });
    const annFile = path.join(dir, 'ana.json');
    await a.exportAnnotations({ sessionId: s.id, format: 'json', out: annFile });
    const exported = JSON.parse(fs.readFileSync(annFile, 'utf8')) as { annotations: { run: { uid: string; contentUid: string } }[] };
    expect(exported.annotations[0]!.run.uid).toBe(runUidA);
    expect(exported.annotations[0]!.run.contentUid).toBe(runContentUid(coreA.db, run.id));
    // The run travels as MedINST32 results JSON, the benchmark's own format (no uid field in it).
    const predsFile = path.join(dir, 'gamma-export.json');
    await a.exportRun({ runId: run.id, format: 'medinst32-json', out: predsFile });
    const onB = await b.importPredictions({ file: predsFile, name: 'gamma on B' });
    expect(uidOf(coreB, onB.id)).toBe(exported.annotations[0]!.run.contentUid);

    const merged = await b.importAnnotations({ file: annFile });
    expect(merged).toMatchObject({ added: 2, conflicts: [] });
    // Stored against B's run, so B's sessions, compare view and leaderboard see them.
    const stored = coreB.db.prepare('SELECT item_key, run_uid FROM annotations ORDER BY item_key').all() as { item_key: string; run_uid: string }[];
    expect(stored.map((r) => r.run_uid)).toEqual([uidOf(coreB, onB.id), uidOf(coreB, onB.id)]);
    const sb = await b.createAnnotationSession({ reviewer: 'ana', scope: { kind: 'run', runId: onB.id } });
    const item0 = await b.getSessionItem({ sessionId: sb.id, ord: 0 });
    expect(item0.columns[0]!.annotation).toMatchObject({ verdict: 'incorrect', severity: 'severe', note: 'invented a trial' });
    const lb = await b.leaderboard({});
    expect(lb.entries.find((e) => e.runId === onB.id)!.reviews!['medinst32/PubMedQA-labeled']!.tags).toEqual({ 'hallucinated finding': 1 });
    // Importing again changes nothing.
    expect(await b.importAnnotations({ file: annFile })).toMatchObject({ added: 0, unchanged: 2, conflicts: [] });

    // Back the other way: B's export names B's uid (the content uid), which A finds by content: the same annotations, unchanged.
    const back = path.join(dir, 'from-b.json');
    await b.exportAnnotations({ runId: onB.id, format: 'json', out: back });
    expect(await a.importAnnotations({ file: back })).toMatchObject({ added: 0, unchanged: 2, conflicts: [] });
    // Without the content uid (an export from before it existed), an unknown uid matches nothing and is kept as it came.
    const bare = JSON.parse(fs.readFileSync(back, 'utf8')) as { annotations: { run: { contentUid?: string }; reviewer: string }[] };
    for (const r of bare.annotations) {
      delete r.run.contentUid;
      r.reviewer = 'old export';
    }
    const bareFile = path.join(dir, 'bare.json');
    fs.writeFileSync(bareFile, JSON.stringify(bare));
    expect(await a.importAnnotations({ file: bareFile })).toMatchObject({ added: 2 });
    expect(coreA.db.prepare("SELECT DISTINCT run_uid FROM annotations WHERE reviewer = 'old export'").pluck().all()).toEqual([uidOf(coreB, onB.id)]);
  });
});
