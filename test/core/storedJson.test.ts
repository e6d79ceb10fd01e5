/**
 * Stored JSON is checked when read: a run's saved spec and a model configuration's saved
 * settings, written into a real SQLite library as a newer or broken version might have left
 * them, come back through the contract as a typed error naming the row, not a crash or
 * silently wrong settings; the rows themselves are left untouched.
 */
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MedtaskCore } from '../../src/core/service';
import { dispatchCall } from '../../src/shared/dispatch';
import type { ApiErrorData } from '../../src/shared/errors';
import { tempDir } from '../helpers';

let home: string;
let core: MedtaskCore;
let dbFile: string;

const now = new Date().toISOString();
const goodSpec = {
  model: { kind: 'local', path: '/models/m.gguf', contextSize: 64 },
  template: { strategy: 'medinst32' },
  decoding: { maxTokens: 8, temperature: 0 },
  selection: { taskIds: [1] },
};

beforeAll(() => {
  home = tempDir('medtask-stored-json-');
  core = new MedtaskCore({ home });
  dbFile = core.db.name;
  core.close();
  // Rows as another version left them, written straight into the library file.
  const db = new Database(dbFile);
  const run = db.prepare(
    `INSERT INTO runs (id, name, kind, status, spec_json, model_label, created_at, app_version) VALUES (?, ?, 'local', 'paused', ?, 'm', ?, '9.9.9')`,
  );
  run.run(11, 'fine', JSON.stringify(goodSpec), now);
  run.run(12, 'newer', JSON.stringify({ ...goodSpec, model: { ...goodSpec.model, speculativeDraft: '/d.gguf' } }), now);
  run.run(13, 'broken', '{"model": {"kind": "local"', now);
  db.prepare(
    `INSERT INTO models (id, kind, name, path, architecture, header_json, shapes_json, added_at, checked_at) VALUES (1, 'model', 'm', '/models/m.gguf', 'llama', '{}', '{}', ?, ?)`,
  ).run(now, now);
  db.prepare('INSERT INTO model_configs (id, name, model_id, settings_json, created_at, updated_at) VALUES (5, ?, 1, ?, ?, ?)').run(
    'odd',
    JSON.stringify({ contextSize: 'big' }),
    now,
    now,
  );
  db.close();
  core = new MedtaskCore({ home });
});

afterAll(() => {
  core.close();
  fs.rmSync(home, { recursive: true, force: true });
});

async function failure(name: string, input: unknown): Promise<ApiErrorData> {
  const env = await dispatchCall(core.handlers, name, input);
  expect(env.ok).toBe(false);
  return (env as { error: ApiErrorData }).error;
}

describe('stored JSON read back through the shared schemas', () => {
  it('a run saved by this version reads back as it was', async () => {
    const env = await dispatchCall(core.handlers, 'getRun', { runId: 11 });
    expect(env.ok).toBe(true);
    expect((env as { value: { spec: unknown } }).value.spec).toEqual(goodSpec);
  });

  it('a run whose spec has a field this version does not know names the run and the field', async () => {
    const error = await failure('getRun', { runId: 12 });
    expect(error.code).toBe('unsupported');
    expect(error.message).toMatch(/^run 12's saved settings were written by a newer or broken version of MedTask Studio: model: /);
    expect(error.message).toContain('speculativeDraft');
    expect(error.details).toEqual({ runId: 12 });
  });

  it('a run whose spec is not JSON says so', async () => {
    expect((await failure('getRun', { runId: 13 })).message).toBe(
      "run 13's saved settings were written by a newer or broken version of MedTask Studio: not valid JSON",
    );
  });

  it('a model configuration with settings out of the schema names the configuration and the setting', async () => {
    const error = await failure('listModelConfigs', {});
    expect(error.code).toBe('unsupported');
    expect(error.message).toMatch(
      /^model configuration 5's \("odd"\) saved settings were written by a newer or broken version of MedTask Studio: contextSize: /,
    );
  });

  it('the rows are left as they were', () => {
    const db = new Database(dbFile, { readonly: true });
    try {
      expect(db.prepare('SELECT spec_json FROM runs WHERE id = 13').pluck().get()).toBe('{"model": {"kind": "local"');
      expect(db.prepare('SELECT settings_json FROM model_configs WHERE id = 5').pluck().get()).toBe('{"contextSize":"big"}');
    } finally {
      db.close();
    }
  });
});
