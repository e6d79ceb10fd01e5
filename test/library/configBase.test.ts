/**
 * A saved configuration that pairs a LoRA with a base it was not made for is saved with a warning
 * (real tiny GGUFs, real library, real SQLite): the base the adapter's metadata names, the base the
 * user chose for it, and an adapter with no recorded base (no warning).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatchCall, unwrap, type CallInput, type CallName, type CallResults } from '../../src/shared';
import { MedtaskCore } from '../../src/core/service';
import { writeTinyLora, writeTinyModel } from '../tooling/tinyModel';
import { tempDir } from '../helpers';
import { TINY } from '../models/fixtures';

let core: MedtaskCore;
const ids = { a: 0, b: 0, loraA: 0, loraStranger: 0, loraPlain: 0 };

async function call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallResults[N]> {
  return unwrap(await dispatchCall(core.handlers, name, input)) as CallResults[N];
}

beforeAll(async () => {
  const dir = tempDir('medtask-config-base-');
  const files = {
    a: join(dir, 'a.gguf'),
    b: join(dir, 'b.gguf'),
    loraA: join(dir, 'lora-a.gguf'),
    loraStranger: join(dir, 'lora-stranger.gguf'),
    loraPlain: join(dir, 'lora-plain.gguf'),
  };
  // Two models with the same shapes (other weights): every adapter fits both.
  await writeTinyModel(files.a, { ...TINY, name: 'tiny-a' });
  await writeTinyModel(files.b, { ...TINY, seed: 9, name: 'tiny-b' });
  await writeTinyLora(files.loraA, TINY, { seed: 3, baseModelName: 'tiny-a' });
  await writeTinyLora(files.loraStranger, TINY, { seed: 4, baseModelName: 'Llama-3-8B-Instruct' });
  await writeTinyLora(files.loraPlain, TINY, { seed: 5 });
  core = new MedtaskCore({ home: join(dir, 'home') });
  await call('addModels', { paths: Object.values(files) });
  const list = await call('listModels', {});
  const byPath = new Map([...list.models, ...list.adapters].map((m) => [m.path, m.id]));
  for (const k of Object.keys(files) as (keyof typeof files)[]) ids[k] = byPath.get(files[k])!;
});

afterAll(async () => {
  await core?.dispose();
});

async function save(name: string, modelId: number, adapterId: number) {
  return call('saveModelConfig', { name, modelId, adapters: [{ adapterId, scale: 1 }], settings: {} });
}

describe('configuration base-model warnings', () => {
  it('warns when an adapter whose metadata names one base is saved on another, and not on its own base', async () => {
    const adapter = (await call('listModels', {})).adapters.find((x) => x.id === ids.loraA)!;
    // general.base_model.0.name picks tiny-a among the two models that fit.
    expect(adapter.base).toMatchObject({ modelId: ids.a, chosenBy: 'auto' });

    const wrong = await save('lora on b', ids.b, ids.loraA);
    expect(wrong.id).toBeGreaterThan(0);
    expect(wrong.warnings).toEqual([{ adapterId: ids.loraA, expectedBase: 'tiny-a', message: expect.stringContaining('not “tiny-b”') as unknown as string }]);
    expect(wrong.warnings[0]!.message).toContain('was made for “tiny-a”');
    const right = await save('lora on a', ids.a, ids.loraA);
    expect(right.warnings).toEqual([]);
    // Listing says the same as saving.
    const listed = await call('listModelConfigs', {});
    expect(listed.find((c) => c.id === wrong.id)?.warnings).toHaveLength(1);
    expect(listed.find((c) => c.id === right.id)?.warnings).toEqual([]);
  });

  it("follows the user's choice of base (setAdapterBase)", async () => {
    await call('setAdapterBase', { adapterId: ids.loraA, baseModelId: ids.b });
    const listed = await call('listModelConfigs', {});
    expect(listed.find((c) => c.name === 'lora on b')?.warnings).toEqual([]);
    const onA = listed.find((c) => c.name === 'lora on a')!;
    expect(onA.warnings).toEqual([
      { adapterId: ids.loraA, expectedBase: 'tiny-b', message: expect.stringContaining('its base was set to it') as unknown as string },
    ]);
    await call('setAdapterBase', { adapterId: ids.loraA, baseModelId: null });
  });

  it('warns about a base named in metadata that is not in the library, and not at all for an adapter that names none', async () => {
    const stranger = await save('stranger', ids.a, ids.loraStranger);
    expect(stranger.warnings).toEqual([
      {
        adapterId: ids.loraStranger,
        expectedBase: 'Llama-3-8B-Instruct',
        message: expect.stringContaining('names “Llama-3-8B-Instruct” as its base') as unknown as string,
      },
    ]);
    expect((await save('plain', ids.b, ids.loraPlain)).warnings).toEqual([]);
  });
});
