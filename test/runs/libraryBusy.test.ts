/**
 * A run whose results cannot be written because another writer holds the library (an import's
 * long transaction) past busy_timeout: the host must not die of an uncaught "database is
 * locked" thrown inside the engine's callbacks. The run pauses with the reason, keeps what it
 * wrote, and a resume after the writer is done finishes every item exactly once.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MedtaskCore } from '../../src/core/service';
import { writeTinyModel } from '../tooling/tinyModel';
import type { RunSpec } from '../../src/shared/runs';
import { TINY } from '../models/fixtures';
import { data, tempDir } from '../helpers';

let home: string;
let model: string;
let core: MedtaskCore;
let taskId: number;

beforeAll(async () => {
  const dir = tempDir('medtask-busy-');
  model = path.join(dir, 'tiny.gguf');
  await writeTinyModel(model, { ...TINY, contextLength: 4096 });
  home = tempDir();
  core = new MedtaskCore({ home });
  await core.importPaths([data('medinst32/unseen_tests/PubMedQA-labeled.json')]);
  taskId = (await core.handlers.listTasks({})).find((t) => t.name === 'PubMedQA-labeled')!.id;
});

afterAll(async () => {
  await core?.dispose();
});

const ITEMS = 12;

describe('a run while another writer holds the library', () => {
  it('pauses with the reason instead of crashing, and resumes with every item exactly once', async () => {
    const spec: RunSpec = {
      model: { kind: 'local', path: model, threads: 1, contextSize: 4096 },
      template: { strategy: 'zero-shot' },
      decoding: { maxTokens: 8, temperature: 0 },
      selection: { taskIds: [taskId], limit: ITEMS },
      parallel: 2,
    };
    const uncaught: unknown[] = [];
    const onUncaught = (err: unknown) => uncaught.push(err);
    process.on('uncaughtException', onUncaught);
    const other = new Database(path.join(home, 'library.sqlite'));
    try {
      const created = await core.handlers.createRun(spec);
      // Take the write lock as an import would, once the run has written a couple of items.
      await new Promise<void>((resolve) => {
        const off = core.on('runProgress', (p) => {
          if (p.runId === created.id && p.done >= 2) {
            off();
            other.exec('BEGIN IMMEDIATE');
            // Held past busy_timeout (5 s), as a long import would, then released.
            setTimeout(() => other.exec('COMMIT'), 9_000);
            resolve();
          }
        });
      });
      const stopped = await core.runs.wait(created.id);
      expect(uncaught).toEqual([]);
      expect(stopped.status).toBe('paused');
      expect(stopped.error).toMatch(/library was busy/);
      expect(stopped.itemDone).toBeGreaterThanOrEqual(2);
      const resumed = await core.runs.resume(created.id);
      expect(resumed).toMatchObject({ status: 'done', itemDone: ITEMS });
      const ords = core.db.prepare("SELECT ord FROM run_items WHERE run_id = ? AND status = 'done' ORDER BY ord").pluck().all(created.id);
      expect(ords).toEqual([...Array(ITEMS).keys()]);
    } finally {
      process.off('uncaughtException', onUncaught);
      other.close();
    }
  }, 120_000);
});
