/**
 * Closing the engine stops every kind of in-flight work and waits for it: a running import of
 * a large file and a running benchmark run (real tiny model, real SQLite) are each stopped by
 * `dispose()`, which resolves only after they have. The import leaves the library as it was;
 * the run is paused with every finished item kept and the rest pending, and a fresh engine on
 * the same data directory sees exactly that.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MedtaskCore } from '../../src/core/service';
import { writeTinyModel } from '../tooling/tinyModel';
import { DomainError } from '../../src/core/errors';
import { TINY } from '../models/fixtures';
import { data, tempDir } from '../helpers';

let dir: string;
let home: string;
let model: string;
let big: string;

beforeAll(async () => {
  dir = tempDir('medtask-close-');
  home = tempDir('medtask-close-home-');
  model = path.join(dir, 'tiny.gguf');
  await writeTinyModel(model, { ...TINY, contextLength: 8192 });
  // A large import, generated here: PubMedQA's records forty times over, as one more task.
  const folder = path.join(dir, 'unseen_tests');
  fs.mkdirSync(folder);
  big = path.join(folder, 'BigQA.json');
  const text = fs.readFileSync(data('medinst32/unseen_tests/PubMedQA-labeled.json'), 'utf8').trimEnd();
  fs.writeFileSync(big, Array.from({ length: 40 }, () => text).join('\n') + '\n');
});

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(home, { recursive: true, force: true });
});

describe('dispose()', () => {
  // An import holds the library's write lock for its whole length (all or nothing), so a run
  // writing items meanwhile would wait on it: the two kinds are stopped in two engines here.
  it('stops a running import, waits for it, and leaves the library as it was', async () => {
    const core = new MedtaskCore({ home });
    await core.importPaths([data('medinst32/unseen_tests/PubMedQA-labeled.json')]);
    const tasksBefore = await core.handlers.listTasks({});
    let importing = false;
    core.on('importProgress', () => (importing = true));
    let settled = false;
    const imported = core.importPaths([big]).then(
      () => null,
      (e: unknown) => e,
    );
    void imported.then(() => (settled = true));
    while (!importing) await new Promise((r) => setTimeout(r, 10));
    await core.dispose();
    // dispose() resolved only after the import had stopped.
    expect(settled).toBe(true);
    const err = await imported;
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).domainKind).toBe('cancelled');
    const reopened = new MedtaskCore({ home });
    try {
      expect(await reopened.handlers.listTasks({})).toEqual(tasksBefore);
    } finally {
      reopened.close();
    }
  });

  it('stops a running run, waits for it, and leaves it paused with finished items whole and the rest pending', async () => {
    const core = new MedtaskCore({ home });
    const task = (await core.handlers.listTasks({})).find((t) => t.name === 'PubMedQA-labeled')!;
    let done = 0;
    core.on('runProgress', (p) => (done = Math.max(done, p.done)));
    const run = await core.handlers.createRun({
      model: { kind: 'local', path: model, threads: 1, contextSize: 8192 },
      template: { strategy: 'medinst32' },
      decoding: { maxTokens: 4, temperature: 0 },
      selection: { taskIds: [task.id], limit: 200 },
      parallel: 1,
    });
    // A second run waits in the queue: closing must not start it.
    const queued = await core.handlers.createRun({
      model: { kind: 'local', path: model, threads: 1, contextSize: 8192 },
      template: { strategy: 'medinst32' },
      decoding: { maxTokens: 4, temperature: 0 },
      selection: { taskIds: [task.id], limit: 5 },
      parallel: 1,
    });
    while (done < 1) await new Promise((r) => setTimeout(r, 20));
    await core.dispose();

    const reopened = new MedtaskCore({ home });
    try {
      const detail = await reopened.handlers.getRun({ runId: run.id });
      // Paused by dispose() itself, not found interrupted by the next start.
      expect(detail.status).toBe('paused');
      expect(detail.error).toBeNull();
      expect(detail.itemTotal).toBe(200);
      expect(detail.itemDone).toBeGreaterThanOrEqual(1);
      expect(detail.itemDone).toBeLessThan(200);
      const items = (await reopened.handlers.pageRunItems({ runId: run.id, limit: 1000 })).items;
      const finished = items.filter((i) => i.status !== 'pending');
      expect(finished.length).toBe(detail.itemDone + detail.itemErrors);
      for (const i of finished) expect(i.rawOutput).not.toBeNull();
      for (const i of items.filter((i) => i.status === 'pending')) expect(i.rawOutput).toBeNull();
      const waiting = await reopened.handlers.getRun({ runId: queued.id });
      expect(waiting.status).toBe('paused');
      expect(waiting.itemDone).toBe(0);
    } finally {
      reopened.close();
    }
  });

  it('is safe to call twice, and close() after it does nothing', async () => {
    const core = new MedtaskCore({ home });
    await core.dispose();
    await core.dispose();
    core.close();
  });
});
