/**
 * Issue 14's store and counting fixes against a real engine (real tiny GGUFs, real benchmark files):
 * a removed configuration comes back with Undo exactly as it was, the UI's pairing check agrees
 * with the core's saved warnings, and an import's preview and result count the same units.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MedtaskCore } from '../../src/core/service';
import { setClient } from '../../src/renderer/src/client/current';
import { copiesText, countsText, previewCounts, resultCounts } from '../../src/renderer/src/features/import/importCounts';
import { pairingWarnings } from '../../src/renderer/src/features/models/pairingWarnings';
import { useModels } from '../../src/renderer/src/features/models/modelsStore';
import { writeTinyLora, writeTinyModel } from '../tooling/tinyModel';
import { TINY } from '../models/fixtures';
import { data, tempDir } from '../helpers';
import { coreClient } from './coreClient';

let dir: string;
let core: MedtaskCore;

beforeAll(async () => {
  dir = tempDir('medtask-first-time-');
  core = new MedtaskCore({ home: path.join(dir, 'home') });
  setClient(coreClient(core));
});

afterAll(async () => {
  setClient(null);
  await core.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('model configurations in the store', () => {
  it('Remove keeps the configuration for Undo, which saves it again as it was; the pairing check matches the core', async () => {
    const files = { a: path.join(dir, 'a.gguf'), b: path.join(dir, 'b.gguf'), lora: path.join(dir, 'lora.gguf') };
    await writeTinyModel(files.a, { ...TINY, name: 'tiny-a' });
    await writeTinyModel(files.b, { ...TINY, seed: 9, name: 'tiny-b' });
    await writeTinyLora(files.lora, TINY, { seed: 3, baseModelName: 'tiny-a' });
    const client = coreClient(core);
    await client.addModels({ paths: Object.values(files) });
    const store = useModels.getState();
    await store.refreshList();
    const list = useModels.getState().list!;
    const [a, b] = ['tiny-a', 'tiny-b'].map((n) => list.models.find((m) => m.name === n)!.id) as [number, number];
    const lora = list.adapters[0]!.id;
    const saved = await client.saveModelConfig({
      name: 'on-b',
      modelId: b,
      adapters: [{ adapterId: lora, scale: 0.5 }],
      settings: { threads: 1, contextSize: 512 },
    });
    // The check the UI runs before saving says what the core said on saving.
    expect(pairingWarnings(list, b, [lora])).toEqual(saved.warnings);
    expect(saved.warnings).toHaveLength(1);
    expect(pairingWarnings(list, a, [lora])).toEqual([]);

    await store.refreshConfigs();
    expect(await store.removeConfig(saved.id)).toBe(true);
    expect(useModels.getState().configs).toEqual([]);
    expect(useModels.getState().removedConfig?.name).toBe('on-b');
    const back = await useModels.getState().undoRemoveConfig();
    expect(back).not.toBeNull();
    expect(useModels.getState().removedConfig).toBeNull();
    const { id: _oldId, createdAt: _c, updatedAt: _u, ...was } = saved;
    const { id: newId, createdAt: _c2, updatedAt: _u2, ...now } = back!;
    expect(now).toEqual(was);
    expect(useModels.getState().configs?.map((c) => c.id)).toEqual([newId]);
    // Nothing left to undo: a second Undo does nothing.
    expect(await useModels.getState().undoRemoveConfig()).toBeNull();
  });
});

describe('import counts', () => {
  it('preview and result say the same splits, tasks and items, and explain few-shot/zero-shot copies', async () => {
    const paths = [data('medinst32')];
    const client = coreClient(core);
    const before = previewCounts(await client.previewImport({ paths }));
    const after = resultCounts(await client.importPaths({ paths }));
    expect(countsText(before)).toBe('6 splits of 3 tasks · 1,540 items');
    expect(countsText(after)).toBe(countsText(before));
    expect(copiesText(after)).toBe(copiesText(before));
    expect(copiesText(before)).toBe(
      'Hallmarks-of-Cancer, NCBI-disease and PubMedQA-labeled come as few-shot and zero-shot splits: each record (a row of the file) is one item per split, so the same record counts once per config.',
    );
  });

  it('a definitions file is counted as task ids, with its variants once imported; a single split needs no explanation', async () => {
    const paths = [data('meds-ins/RewriteDefinitions.json'), data('meds-bench/MCQA')];
    const client = coreClient(core);
    const before = previewCounts(await client.previewImport({ paths }));
    const after = resultCounts(await client.importPaths({ paths }));
    expect(before.definitionTasks).toBeGreaterThan(0);
    expect(after.definitionTasks).toBe(before.definitionTasks);
    expect(after.items).toBe(before.items);
    expect(countsText(after)).toBe(`${countsText(before)} (${after.variants!.toLocaleString('en-US')} variants)`);
    expect(copiesText(after)).toBeNull();
  });
});
