/**
 * The Playground store against a real core: two tiny generated GGUF models (different seeds) run
 * one after another on a real benchmark item's rendered prompt, streamed per column, with load
 * progress tagged by request, a waiting column cancelled, a column's error kept in its column,
 * and the history written to (and read back from) storage. Nothing is mocked.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MedtaskCore } from '../../src/core/service';
import { setClient } from '../../src/renderer/src/client/current';
import { useImporter } from '../../src/renderer/src/features/import/importerStore';
import { useModels } from '../../src/renderer/src/features/models/modelsStore';
import { HISTORY_KEY, loadHistory } from '../../src/renderer/src/features/playground/playgroundHistory';
import { promptFields, recordedPrompt } from '../../src/renderer/src/features/playground/playgroundItem';
import { usePlayground } from '../../src/renderer/src/features/playground/playgroundStore';
import type { ModelLoadProgress } from '../../src/shared/models';
import { data, readRecords, tempDir } from '../helpers';
import { writeTinyModel } from '../tooling/tinyModel';
import { coreClient, settle } from './coreClient';

const PUBMEDQA = data('medinst32/unseen_tests/PubMedQA-labeled.json');
const TINY = { layers: 2, embd: 64, heads: 4, kvHeads: 2, ff: 128, contextLength: 8192 };

/** localStorage as the page has it (Node has none): a Map behind the Storage calls the history uses. */
class MemoryStorage {
  private readonly map = new Map<string, string>();
  getItem(k: string): string | null {
    return this.map.get(k) ?? null;
  }
  setItem(k: string, v: string): void {
    this.map.set(k, v);
  }
  removeItem(k: string): void {
    this.map.delete(k);
  }
}

let home: string;
let core: MedtaskCore;
let modelA: number;
let modelB: number;
const loads: ModelLoadProgress[] = [];
const initial = usePlayground.getState();

beforeAll(async () => {
  (globalThis as { localStorage?: unknown }).localStorage = new MemoryStorage();
  home = tempDir('medtask-playground-');
  core = new MedtaskCore({ home });
  setClient(coreClient(core));
  const folder = path.join(home, 'models');
  fs.mkdirSync(folder);
  await writeTinyModel(path.join(folder, 'tiny-a.gguf'), { ...TINY, seed: 7 });
  await writeTinyModel(path.join(folder, 'tiny-b.gguf'), { ...TINY, seed: 11 });
  const added = await core.handlers.addModels({ paths: [folder] });
  modelA = added.added.find((m) => m.path.endsWith('tiny-a.gguf'))!.id;
  modelB = added.added.find((m) => m.path.endsWith('tiny-b.gguf'))!.id;
  await useImporter.getState().importNow({ paths: [PUBMEDQA] });
  await useModels.getState().init();
  core.subscribe((event, payload) => {
    if (event === 'modelLoadProgress') loads.push(payload as ModelLoadProgress);
  });
}, 60_000);

afterAll(async () => {
  setClient(null);
  core.close();
  fs.rmSync(home, { recursive: true, force: true });
  delete (globalThis as { localStorage?: unknown }).localStorage;
});

let off: () => void = () => undefined;
beforeEach(() => {
  off();
  usePlayground.setState({ ...initial, history: loadHistory() }, true);
  off = usePlayground.getState().listen();
});

async function firstItem() {
  const task = (await core.handlers.listTasks({ benchmarkId: (await core.handlers.listBenchmarks({}))[0]!.id })).find((t) => t.name === 'PubMedQA-labeled')!;
  const page = await core.handlers.pageItems({ taskId: task.id, limit: 1 });
  return core.handlers.getItem({ itemId: page.items[0]!.id });
}

describe('playground', () => {
  it('opens a library item with its rendered few-shot prompt, exactly as previewPrompt renders it for a run', async () => {
    const item = await firstItem();
    const record = readRecords<{ input: string; output: string; history: [string, string][] }>(PUBMEDQA)[0]!;
    await usePlayground.getState().openItem(item);
    const s = usePlayground.getState();
    expect(s.renderError).toBeNull();
    expect(s.item?.strategy).toBe('medinst32');
    expect(s.item?.gold).toEqual([record.output]);
    const preview = await core.handlers.previewPrompt({
      template: { strategy: 'medinst32' },
      taskId: item.taskId,
      config: item.config,
      split: item.split,
      index: item.index,
    });
    expect(preview.itemId).toBe(item.id);
    expect(s.item?.templateHash).toBe(preview.templateHash);
    // The file's few-shot history became turns, the item's input is in the prompt.
    expect(s.form.turns).toHaveLength(record.history.length * 2);
    expect(s.form.turns[0]).toEqual({ role: 'user', content: record.history[0]![0] });
    expect(s.form.prompt).toContain(record.input.slice(0, 60));
    expect(promptFields(preview.prompt)).toEqual({ chat: s.form.chat, system: s.form.system, turns: s.form.turns, prompt: s.form.prompt });

    // Zero shots: the turns go, the prompt is rendered again.
    await usePlayground.getState().setItemShots('0');
    expect(usePlayground.getState().form.turns).toEqual([]);
    await usePlayground.getState().setItemShots('x');
    expect(usePlayground.getState().renderError?.message).toContain('shots');
  });

  it('runs two models one after another on the same prompt, each column with its own output and figures', async () => {
    const p = usePlayground.getState();
    p.set('prompt', 'The patient has a fever');
    p.set('maxTokens', '8');
    p.setChoice(p.form.columns[0]!.key, { kind: 'model', id: modelA });
    p.addColumn({ kind: 'model', id: modelB });
    const [a, b] = usePlayground.getState().form.columns.map((c) => c.key) as [string, string];
    // Every status each column went through, in order.
    const seen: Record<string, string[]> = { [a]: [], [b]: [] };
    const unsub = usePlayground.subscribe((s) => {
      for (const k of [a, b]) {
        const st = s.runs[k]?.status;
        if (st && seen[k]!.at(-1) !== st) seen[k]!.push(st);
      }
    });
    await usePlayground.getState().generate();
    unsub();
    const runs = usePlayground.getState().runs;
    expect(runs[a]?.status).toBe('done');
    expect(runs[b]?.status).toBe('done');
    // B waited while A ran, and started only after A was done.
    expect(seen[b]![0]).toBe('waiting');
    expect(seen[a]).toContain('running');
    expect(seen[b]).toContain('running');
    expect(runs[a]!.result!.outputTokens).toBe(8);
    expect(runs[b]!.result!.outputTokens).toBe(8);
    expect(runs[a]!.result!.promptTokens).toBeGreaterThan(0);
    expect(runs[a]!.result!.timeToFirstTokenMs).toBeGreaterThan(0);
    expect(runs[a]!.output).toBe(runs[a]!.result!.text);
    expect(runs[a]!.result!.modelPath).toContain('tiny-a');
    expect(runs[b]!.result!.modelPath).toContain('tiny-b');
    // Two different models: two different answers to the same prompt.
    expect(runs[a]!.output).not.toBe(runs[b]!.output);
    // The engine tagged each column's model load with that column's request id, ending done.
    expect(loads.some((l) => l.path.includes('tiny-a') && l.done)).toBe(true);
    expect(loads.some((l) => l.path.includes('tiny-b') && l.done)).toBe(true);

    // The generation is in the history, persisted: a fresh read of storage has it.
    const stored = loadHistory();
    expect(stored[0]?.columns.map((c) => c.output)).toEqual([runs[a]!.output, runs[b]!.output]);
    expect(stored[0]?.form.prompt).toBe('The patient has a fever');
    expect(JSON.parse((globalThis as unknown as { localStorage: MemoryStorage }).localStorage.getItem(HISTORY_KEY)!)).toHaveLength(1);
  }, 60_000);

  it('a waiting column cancelled is skipped; a failing column keeps its error; re-opening history restores the columns', async () => {
    const p = usePlayground.getState();
    expect(p.history.length).toBeGreaterThan(0);
    const before = p.history[0]!;
    p.set('prompt', 'Cough and fever for three days');
    p.set('maxTokens', '4000');
    p.setChoice(p.form.columns[0]!.key, { kind: 'model', id: modelA });
    p.addColumn({ kind: 'model', id: modelB });
    p.addColumn({ kind: 'path' });
    const [a, b, c] = usePlayground.getState().form.columns.map((x) => x.key) as [string, string, string];
    usePlayground.getState().setPath(c, path.join(home, 'no-such-model.gguf'));
    const done = usePlayground.getState().generate();
    await settle(() => usePlayground.getState().runs[a]?.status === 'running');
    expect(usePlayground.getState().runs[b]?.status).toBe('waiting');
    await usePlayground.getState().cancel(b);
    expect(usePlayground.getState().runs[b]?.status).toBe('cancelled');
    await usePlayground.getState().cancel(a);
    await done;
    const runs = usePlayground.getState().runs;
    expect(runs[a]?.status).toBe('done');
    expect(runs[a]?.result?.stopReason).toBe('abort');
    expect(runs[a]!.result!.outputTokens).toBeLessThan(4000);
    expect(runs[b]?.status).toBe('cancelled');
    expect(runs[b]?.result).toBeNull();
    expect(runs[c]?.status).toBe('failed');
    expect(runs[c]?.error?.message).toContain('no-such-model.gguf');
    const entry = usePlayground.getState().history[0]!;
    expect(entry.columns.map((x) => x.outcome)).toEqual(['done', 'cancelled', 'failed']);

    // Re-open the earlier generation: its form and each column's output come back.
    usePlayground.getState().reopen(before.id);
    const s = usePlayground.getState();
    expect(s.form.prompt).toBe(before.form.prompt);
    expect(s.form.columns.map((x) => x.choice)).toEqual(before.columns.map((x) => x.setup.choice));
    expect(s.form.columns.map((x) => s.runs[x.key]?.output)).toEqual(before.columns.map((x) => x.output));
    expect(s.openedHistory).toBe(before.id);
  }, 60_000);

  it('takes a prompt as a run recorded it (Compare), messages or raw text', () => {
    const messages = [
      { role: 'system', content: 'You are a clinician.' },
      { role: 'user', content: 'Q1' },
      { role: 'assistant', content: 'A1' },
      { role: 'user', content: 'Q2' },
    ];
    const fields = promptFields(recordedPrompt({ messages })!);
    expect(fields).toEqual({ chat: true, system: 'You are a clinician.', turns: [messages[1], messages[2]], prompt: 'Q2' });
    expect(promptFields(recordedPrompt({ text: 'raw prompt' })!)).toEqual({ chat: false, system: '', turns: [], prompt: 'raw prompt' });
    expect(recordedPrompt(null)).toBeNull();
    expect(recordedPrompt([{ role: 'tool', content: 'x' }])).toBeNull();
    usePlayground.getState().openPrompt({ label: 'MedINST32 / PubMedQA-labeled · #0', source: 'run “A”', gold: ['yes'] }, recordedPrompt({ messages })!);
    const s = usePlayground.getState();
    expect(s.item?.ref).toBeNull();
    expect(s.form.turns).toHaveLength(2);
    expect(s.form.prompt).toBe('Q2');
  });
});
