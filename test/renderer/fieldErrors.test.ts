/**
 * Forms mark the field the engine names: a real core's boundary validation (through
 * `dispatchCall`, as the hosts answer) sends structured issues, and the New run dialog and the
 * Playground's configuration form map them by path onto their fields, without parsing messages.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MedtaskCore } from '../../src/core/service';
import { toErrorData, type ApiErrorData } from '../../src/shared/errors';
import type { MedtaskClient } from '../../src/shared/contract';
import { engineErrors, initialRunForm, toRunSpec } from '../../src/renderer/src/features/runs/runSpecForm';
import { playgroundField } from '../../src/renderer/src/features/playground/playgroundStore';
import { fieldErrors } from '../../src/renderer/src/ui/fieldErrors';
import { tempDir } from '../helpers';
import { coreClient } from './coreClient';

let home: string;
let core: MedtaskCore;
let client: MedtaskClient;

beforeAll(() => {
  home = tempDir('medtask-field-errors-');
  core = new MedtaskCore({ home });
  client = coreClient(core);
});

afterAll(() => {
  core.close();
  fs.rmSync(home, { recursive: true, force: true });
});

async function failure(call: () => Promise<unknown>): Promise<ApiErrorData> {
  const err = await call().then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).not.toBeNull();
  return toErrorData(err);
}

describe('field errors from the engine', () => {
  it('the New run dialog marks the fields a createRun issue names', async () => {
    const form = { ...initialRunForm([1]), modelKind: 'local' as const, modelPath: '/models/m.gguf', name: 'x' };
    const spec = toRunSpec(form);
    const bad = { ...spec, model: { ...spec.model, contextSize: -5 }, decoding: { ...spec.decoding, maxTokens: 0 } };
    const error = await failure(() => client.createRun(bad as never));
    expect(error.code).toBe('invalid_input');
    expect(error.issues?.map((i) => i.path)).toEqual(expect.arrayContaining(['model.contextSize', 'decoding.maxTokens']));
    const { fields, rest } = engineErrors(error, form);
    expect(fields.contextSize).toMatch(/>=|greater|too small/i);
    expect(fields.maxTokens).toMatch(/>=|greater|too small/i);
    expect(rest).toEqual([]);
  });

  it('a domain error naming a field lands on it; one naming none stays general', () => {
    const form = initialRunForm([1]);
    expect(engineErrors({ code: 'not_found', message: 'no model file', details: { field: 'model.path' } }, form)).toEqual({
      fields: { modelPath: 'no model file' },
      rest: [],
    });
    expect(engineErrors({ code: 'internal', message: 'a bug' }, form)).toEqual({ fields: {}, rest: ['a bug'] });
  });

  it("the Playground's configuration form marks name and context size from saveModelConfig's issues", async () => {
    const error = await failure(() => client.saveModelConfig({ name: '  ', modelId: 1, adapters: [], settings: { contextSize: -1 } } as never));
    const { fields } = fieldErrors(error, playgroundField);
    expect(Object.keys(fields).sort()).toEqual(['configName', 'contextSize']);
  });
});
