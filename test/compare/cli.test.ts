/**
 * `medtask compare` and `medtask leaderboard` from a terminal, on runs written through the real
 * run store: the JSON carries the same numbers the core gives the app, the filters leave the
 * same rows, and the text output says plainly whether a difference stands out from noise.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { filterFromWord, filterRows } from '../../src/shared/compare';
import type { ReviewFilter } from '../../src/shared/compareReviews';
import { REPO } from '../helpers';
import { call, compareLibrary, writeRun } from './fixtures';

const run = promisify(execFile);
let home: string;
let a: number;
let b: number;
let core: Awaited<ReturnType<typeof compareLibrary>>['core'];

async function medtask(...args: string[]) {
  try {
    const r = await run(process.execPath, ['bin/medtask.cjs', '--home', home, ...args], { cwd: REPO, maxBuffer: 1 << 26 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(async () => {
  await run(process.execPath, ['scripts/build-node.mjs'], { cwd: REPO });
  const lib = await compareLibrary();
  core = lib.core;
  home = lib.home;
  a = writeRun(core.db, 'base', [lib.pubmedqa, lib.task123], 30, (_t, i) => i % 2 === 0);
  b = writeRun(core.db, 'tuned', [lib.pubmedqa, lib.task123], 30, (_t, i) => i % 5 !== 0);
}, 120_000);

describe('medtask compare / leaderboard', () => {
  it('--json gives the same rows, counts and statistics as the core', async () => {
    const out = await medtask('compare', String(a), String(b), '--json');
    expect(out.code, out.stderr).toBe(0);
    const cli = JSON.parse(out.stdout);
    const stats = await call(core, 'compareStats', { runIds: [a, b] });
    expect(cli.stats).toEqual(JSON.parse(JSON.stringify(stats)));
    expect(cli.rows).toHaveLength(60);
    expect(cli.rows[0].runs[1]).toHaveProperty('delta');
  });

  it('--filter and --task leave the rows the shared filter leaves', async () => {
    const out = await medtask('compare', String(a), String(b), '--task', 'PubMedQA-labeled', '--filter', 'a-right-b-wrong', '--json');
    expect(out.code, out.stderr).toBe(0);
    const cli = JSON.parse(out.stdout);
    const res = await call(core, 'compareRuns', { runIds: [a, b], task: 'PubMedQA-labeled' });
    const expected = filterRows(res, filterFromWord('a-right-b-wrong', 2));
    expect(cli.rows.map((r: { key: string }) => r.key)).toEqual(expected.indexes.map((i) => res.rows[i]!.key));
    expect(cli.rows.length).toBeGreaterThan(0);
    // A = tuned (the non-baseline run) right, B = base wrong.
    for (const r of cli.rows) expect([r.runs[1].metrics.labelMacroF1, r.runs[0].metrics.labelMacroF1]).toEqual([1, 0]);
  });

  it('text output: CIs per run, the plain sentence, and the rows with deltas', async () => {
    const out = await medtask('compare', String(a), String(b), '--sort', 'delta', '--limit', '5');
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toMatch(/medinst32\/PubMedQA-labeled — 30 common items/);
    expect(out.stdout).toMatch(/tuned vs base on PubMedQA-labeled, Label macro-F1: [+−]/);
    expect(out.stdout).toMatch(/distinguishable from noise at this sample size/);
    expect(out.stdout).toMatch(/… 55 more rows/);
  });

  it('bad arguments are refused with a clear message', async () => {
    const one = await medtask('compare', String(a));
    expect(one.code).not.toBe(0);
    expect(one.stderr).toMatch(/at least 2 runs/);
    const bad = await medtask('compare', String(a), 'x');
    expect(bad.stderr).toMatch(/expected a run id/);
    const filter = await medtask('compare', String(a), String(b), '--filter', 'sideways');
    expect(filter.stderr).toMatch(/sideways/);
  });

  it('leaderboard --json equals the core; --benchmark filters columns', async () => {
    const out = await medtask('leaderboard', '--json');
    expect(out.code, out.stderr).toBe(0);
    expect(JSON.parse(out.stdout)).toEqual(JSON.parse(JSON.stringify(await call(core, 'leaderboard', {}))));
    const meds = JSON.parse((await medtask('leaderboard', '--benchmark', 'meds-bench', '--json')).stdout);
    expect(meds.columns.map((c: { key: string }) => c.key)).toEqual(['meds-bench/task123_pubmedqa_test_set']);
    const text = await medtask('leaderboard');
    expect(text.stdout).toMatch(/tuned/);
    expect(text.stdout).toMatch(/MCQA \(mean\)/);
  });
});

describe('medtask compare review filters', () => {
  const keysOf = (out: { stdout: string }) => (JSON.parse(out.stdout) as { rows: { key: string }[] }).rows.map((r) => r.key);

  it('--review-tag, --review-run, --verdict and --severity-at-least leave the rows and counts the shared review filter leaves', async () => {
    const h = core.handlers;
    const tags = await h.listAnnotationTags({});
    const tag = tags[0]!;
    const s = await h.createAnnotationSession({ reviewer: 'kim', scope: { kind: 'comparison', runIds: [a, b], filter: 'all' }, blind: false });
    // Column 1 (run b) of items 0-5: the tag on the even ones; verdicts and severities vary so each flag cuts differently.
    for (let ord = 0; ord < 6; ord++)
      await h.annotate({
        sessionId: s.id,
        ord,
        column: 1,
        tagIds: ord % 2 === 0 ? [tag.id] : [],
        verdict: ord < 3 ? 'incorrect' : 'correct',
        severity: ord === 0 ? 'severe' : ord === 1 ? 'moderate' : 'mild',
        note: '',
      });
    const res = await call(core, 'compareRuns', { runIds: [a, b] });
    const cases: [string[], ReviewFilter][] = [
      [['--review-tag', tag.name.toUpperCase()], { tag: tag.name.toUpperCase(), verdict: null, minSeverity: null, run: null }],
      [['--review-tag', tag.name, '--review-run', String(a)], { tag: tag.name, verdict: null, minSeverity: null, run: 0 }],
      [['--verdict', 'incorrect'], { tag: null, verdict: 'incorrect', minSeverity: null, run: null }],
      [['--severity-at-least', 'moderate', '--review-run', String(b)], { tag: null, verdict: null, minSeverity: 'moderate', run: 1 }],
      [['--review-tag', tag.name, '--verdict', 'incorrect'], { tag: tag.name, verdict: 'incorrect', minSeverity: null, run: null }],
    ];
    const shown: number[] = [];
    for (const [flags, review] of cases) {
      const out = await medtask('compare', String(a), String(b), ...flags, '--json');
      expect(out.code, out.stderr).toBe(0);
      const expected = filterRows(res, { ...filterFromWord('any', 2), review });
      expect(keysOf(out), flags.join(' ')).toEqual(expected.indexes.map((i) => res.rows[i]!.key));
      expect(JSON.parse(out.stdout).counts, flags.join(' ')).toEqual(expected.counts);
      shown.push(expected.counts.shown);
    }
    // Worked by hand: tag on 3 outputs of run b, none of run a; incorrect on 3; severity ≥ moderate on 2; tag and incorrect on items 0 and 2.
    expect(shown).toEqual([3, 0, 3, 2, 2]);
    const text = await medtask('compare', String(a), String(b), '--verdict', 'incorrect');
    expect(text.stdout).toMatch(/3 of 60 rows \(reviewed: verdict incorrect\)/);
  });

  it('an unknown tag, a run not compared and a bad verdict are refused by name; --help lists the flags', async () => {
    const unknown = await medtask('compare', String(a), String(b), '--review-tag', 'no such tag');
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toMatch(/--review-tag: no tag named "no such tag"; tags: /);
    const run = await medtask('compare', String(a), String(b), '--verdict', 'correct', '--review-run', '999');
    expect(run.stderr).toMatch(/--review-run 999: not one of the compared runs/);
    const alone = await medtask('compare', String(a), String(b), '--review-run', String(a));
    expect(alone.stderr).toMatch(/--review-run: give it with --review-tag, --verdict or --severity-at-least/);
    const verdict = await medtask('compare', String(a), String(b), '--verdict', 'wrong');
    expect(verdict.stderr).toMatch(/--verdict.*wrong.*correct, partly, incorrect/s);
    const help = await medtask('compare', '--help');
    for (const flag of ['--review-tag <name>', '--review-run <run>', '--verdict <verdict>', '--severity-at-least <level>']) expect(help.stdout).toContain(flag);
  });
});
