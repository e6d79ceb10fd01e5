/**
 * Shared run setup for the journeys that need finished runs (compare, leaderboard, runs-explain):
 * real PubMedQA items imported through the CLI, tiny-GGUF runs, a published-predictions file
 * right on its first N items, and the web host — one copy instead of three near-identical ones.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeTinyModel } from '../test/tooling/tinyModel';
import { medtask, serve, SHARED_DATA, tempHome, type Served } from './fixtures';

export const PUBMEDQA = path.join(SHARED_DATA, 'medinst32/unseen_tests_zs/PubMedQA-labeled.json');
/** A tiny GGUF with a context long enough for PubMedQA's abstracts. */
export const TINY = { layers: 2, embd: 64, heads: 4, kvHeads: 2, ff: 128, contextLength: 8192 };

export interface TinyRunSpec {
  /** Weights seed: different seeds give different models. */
  seed: number;
  name: string;
  /** Extra `medtask run` flags (decoding settings). */
  args?: string[];
}

export interface RunSetup {
  /** Items per run (the first N of PubMedQA-labeled). */
  items: number;
  tiny?: TinyRunSpec[];
  /** Import a published-predictions run, right on the first `right` items and wrong after. */
  published?: { right: number };
  /** Folder-name prefix of the scratch folder (models, predictions file). */
  prefix: string;
}

export interface RunWorkspace {
  home: string;
  scratch: string;
  served: Served;
  /** Run ids in order: the tiny runs, then the published one. */
  runIds: number[];
  stop(): Promise<void>;
}

/** Gold answers of the first `n` PubMedQA-labeled items, in file order. */
function golds(n: number): string[] {
  return fs
    .readFileSync(PUBMEDQA, 'utf8')
    .split('\n')
    .filter(Boolean)
    .slice(0, n)
    .map((l) => (JSON.parse(l) as { output: string }).output);
}

export async function setupRuns(setup: RunSetup): Promise<RunWorkspace> {
  const home = tempHome();
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), `medtask-e2e-${setup.prefix}-`));
  const runIds: number[] = [];
  await medtask(home, 'import', PUBMEDQA);
  for (const t of setup.tiny ?? []) {
    const model = path.join(scratch, `tiny-${t.seed}.gguf`);
    await writeTinyModel(model, { ...TINY, seed: t.seed });
    const flags = ['--task', 'PubMedQA-labeled', '--model', model, '--threads', '1', '--context-size', '8192', '--limit', String(setup.items)];
    const { stdout } = await medtask(home, 'run', ...flags, '--name', t.name, ...(t.args ?? []), '--json');
    runIds.push((JSON.parse(stdout) as { id: number }).id);
  }
  if (setup.published) {
    const right = setup.published.right;
    const wrong: Record<string, string> = { yes: 'no', no: 'maybe', maybe: 'yes' };
    const generated = golds(setup.items).map((g, i) => ({ prediction: i < right ? g : (wrong[g.trim().toLowerCase()] ?? 'no'), target: g }));
    const file = path.join(scratch, 'published.json');
    fs.writeFileSync(file, JSON.stringify({ QA: { 'PubMedQA-labeled': { generated } } }));
    const { stdout } = await medtask(home, 'import-predictions', file, '--name', 'published', '--json');
    runIds.push((JSON.parse(stdout) as { id: number }).id);
  }
  const served = await serve(home);
  return {
    home,
    scratch,
    served,
    runIds,
    async stop() {
      await served.stop();
      for (const dir of [home, scratch]) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
