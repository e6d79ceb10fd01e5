// The annotation commands (`annotations export|import|sessions|orphans`, `report`, `agreement`) run
// in-process through the real commander program, on a real library.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { medtaskIn } from '../cliHelpers';
import { MedtaskCore } from '../../src/core/service';
import { tempDir } from '../helpers';
import { PUBMEDQA_ZS, twoRuns } from './fixtures';

let dir: string;
let home: string;
let sessions: number[] = [];

const medtask = (...args: string[]): Promise<string> => medtaskIn(home, ...args);

beforeAll(async () => {
  dir = tempDir('medtask-ann-cli-');
  home = path.join(dir, 'home');
  const core = new MedtaskCore({ home });
  try {
    await core.importPaths([PUBMEDQA_ZS]);
    const { a, b } = await twoRuns(core, dir);
    const h = core.handlers;
    for (const [reviewer, verdicts] of [
      ['kim', ['correct', 'incorrect', 'correct', 'incorrect']],
      ['lee', ['correct', 'incorrect', 'correct', 'correct']],
    ] as const) {
      const s = await h.createAnnotationSession({ reviewer, scope: { kind: 'comparison', runIds: [a.id, b.id], filter: 'all' }, blind: false });
      sessions.push(s.id);
      for (let ord = 0; ord < 4; ord++)
        await h.annotate({ sessionId: s.id, ord, column: 1, tagIds: [], verdict: verdicts[ord]!, severity: null, note: `${reviewer} ${ord}` });
    }
  } finally {
    await core.dispose();
  }
});

afterAll(() => {
  sessions = [];
});

describe('annotation CLI', () => {
  it('lists sessions, exports a session as JSON and CSV, and re-imports into another library', async () => {
    expect(await medtask('annotations', 'sessions')).toMatch(/kim.*comparison.*4\/8/);
    const json = path.join(dir, 'kim.json');
    expect(await medtask('annotations', 'export', '--session', String(sessions[0]), '--format', 'json', '--out', json)).toMatch(/wrote 4 annotations/);
    await expect(medtask('annotations', 'export', '--session', String(sessions[0]), '--format', 'json', '--out', json)).rejects.toThrow(/already exists/);
    const csv = path.join(dir, 'run.csv');
    await medtask('annotations', 'export', '--format', 'csv', '--out', csv);
    expect(fs.readFileSync(csv, 'utf8').split('\r\n').filter(Boolean)).toHaveLength(9);
    const other = path.join(dir, 'other');
    const first = JSON.parse(await medtask('--home', other, 'annotations', 'import', json, '--json')) as { added: number };
    expect(first.added).toBe(4);
    expect(await medtask('--home', other, 'annotations', 'import', json)).toMatch(/0 added, 4 already here, 0 replaced, 0 conflicts/);
  });

  it("writes the HTML report and prints Cohen's kappa for the two reviewers", async () => {
    const out = path.join(dir, 'report.html');
    expect(await medtask('report', '--session', String(sessions[0]), '--out', out)).toMatch(/report\.html/);
    expect(fs.readFileSync(out, 'utf8')).toContain('<svg');
    const text = await medtask('agreement', '--scope', `session:${sessions[0]}`);
    expect(text).toMatch(/reviewers: kim, lee/);
    expect(text).toMatch(/verdict\s+Cohen's kappa\s+0\.500\s+4/);
    expect(await medtask('annotations', 'orphans')).toMatch(/no orphaned annotations/);
    // Severity's weighted kappas have their own lines (no severities given here: none to weigh).
    expect(text).toMatch(/severity \(linear\)\s+linear-weighted Cohen's kappa\s+-\s+0/);
  });

  it('leaderboard prints review counts and the score adjusted by review beside the automatic one', async () => {
    const text = await medtask('leaderboard');
    expect(text).toMatch(/reviews \(all reviewers and sessions\)/);
    // Run B (wrong on items 1, 3, 5): kim and lee judged items 0-3. Item means over 8 items:
    // automatic 5/8; adjusted replaces item 3's 0 by the reviewers' mean verdict (incorrect, correct) = 0.5: 5.5/8.
    const line = text.split('\n').find((l) => /^2 beta run\s+PubMedQA-labeled\s+4\b/.test(l));
    expect(line, text).toBeDefined();
    expect(line).toMatch(/correct 5, incorrect 3/);
    expect(line).toMatch(/0\.625\s+0\.688\s*$/);
    // Run A: nobody annotated its outputs, so it has no review line.
    expect(text).not.toMatch(/^1 alpha run\s+PubMedQA-labeled\s+\d+\s/m);
  });
});
