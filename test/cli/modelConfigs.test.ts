/**
 * Model configurations from a terminal, on the real CLI, library and runtime: saved with
 * `medtask models config add`, listed, run by `generate` and `run` (which record the adapter and
 * settings), removed; an adapter's base chosen with `medtask models base`; and the remote run
 * flags `--api-key-env` and `--timeout`.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeTinyLora, writeTinyModel } from '../tooling/tinyModel';
import type { GenerateOutput, ModelConfig, ModelList, ModelRecord, RunDetail, RunSummary } from '../../src/shared';
import { TINY } from '../models/fixtures';
import { data, REPO, tempDir } from '../helpers';

const exec = promisify(execFile);
/** Each case starts the CLI a dozen times or more; on a busy two-core machine that takes a while. */
const SLOW = 180_000;

async function medtask(args: string[], env: NodeJS.ProcessEnv = process.env) {
  try {
    const r = await exec(process.execPath, ['bin/medtask.cjs', '--home', home, ...args], { cwd: REPO, env, timeout: 60_000, maxBuffer: 1 << 26 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

async function json<T>(args: string[]): Promise<T> {
  const r = await medtask([...args, '--json']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as T;
}

/** A refusal: non-zero exit and one line on stderr, matching `pattern`. */
async function refused(args: string[], pattern: RegExp, env?: NodeJS.ProcessEnv): Promise<void> {
  const r = await medtask(args, env);
  expect(r.code).not.toBe(0);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(pattern);
}

function outputs(runId: number): string[] {
  const db = new Database(path.join(home, 'library.sqlite'), { readonly: true });
  try {
    return db.prepare('SELECT raw_output FROM run_items WHERE run_id = ? ORDER BY ord').pluck().all(runId) as string[];
  } finally {
    db.close();
  }
}

let home: string;
let model: string;
let twin: string;
let lora: string;
let loraRecord: ModelRecord;

beforeAll(async () => {
  await exec(process.execPath, ['scripts/build-node.mjs'], { cwd: REPO });
  const dir = tempDir('medtask-cli-configs-');
  home = path.join(dir, 'home');
  model = path.join(dir, 'tiny.gguf');
  twin = path.join(dir, 'twin.gguf');
  lora = path.join(dir, 'tiny-lora.gguf');
  await writeTinyModel(model, { ...TINY, contextLength: 8192 });
  // Same shapes, other weights: the adapter fits both, so its base is the user's choice.
  await writeTinyModel(twin, { ...TINY, seed: 9 });
  await writeTinyLora(lora, TINY, { seed: 3, rank: 4, alpha: 8 });
  expect((await medtask(['models', 'add', model, twin, lora])).code).toBe(0);
  expect((await medtask(['import', data('medinst32/unseen_tests_zs/NCBI-disease.json')])).code).toBe(0);
  loraRecord = (await json<ModelList>(['models', 'list'])).adapters[0]!;
});

describe('medtask models config', () => {
  const settings = ['--context-size', '4096', '--batch-size', '64', '--threads', '1', '--flash-attention', 'off'];

  it(
    'saves a configuration with an adapter, lists it, runs it with generate and run, and removes it',
    async () => {
      const add = await medtask(['models', 'config', 'add', 'tiny-lora', '--model', model, '--lora', `${loraRecord.name}@0.5`, ...settings]);
      expect(add.code).toBe(0);
      expect(add.stdout).toMatch(
        /^saved configuration \d+: tiny-lora = tiny-llama-7 \+ tiny-llama-7-lora-3@0\.5 \(gpu-layers auto, context 4096, batch 64, threads 1, flash-attention off\)\n$/,
      );

      const [config] = await json<ModelConfig[]>(['models', 'config', 'list']);
      expect(config).toMatchObject({
        name: 'tiny-lora',
        modelPath: model,
        adapters: [{ adapterId: loraRecord.id, path: lora, scale: 0.5 }],
        settings: { gpuLayers: 'auto', contextSize: 4096, batchSize: 64, threads: 1, flashAttention: false },
      });
      const table = await medtask(['models', 'config', 'list']);
      expect(table.stdout).toMatch(/^id\s+name\s+model\s+adapters\s+settings\n/);
      expect(table.stdout).toMatch(
        new RegExp(`${config!.id}\\s+tiny-lora\\s+tiny-llama-7 \\(id \\d+\\)\\s+tiny-llama-7-lora-3@0\\.5\\s+gpu-layers auto, context 4096`),
      );

      // generate: the configuration's adapter and settings apply, and change the text.
      const prompt = ['generate', '--prompt', 'the patient has a fever', '--max-tokens', '12'];
      const plain = await json<GenerateOutput>([...prompt, '--model', model, '--threads', '1']);
      const viaConfig = await json<GenerateOutput>([...prompt, '--model', 'tiny-lora']);
      expect(viaConfig.adapters).toEqual([{ path: lora, scale: 0.5 }]);
      expect(viaConfig.settings).toMatchObject({ contextSize: 4096, batchSize: 64, threads: 1, flashAttention: false });
      expect(viaConfig.text).not.toBe(plain.text);
      const byId = await json<GenerateOutput>([...prompt, '--model', `config:${config!.id}`]);
      expect(byId.text).toBe(viaConfig.text);

      // run: the spec records the configuration's adapter and settings; outputs differ from the base alone.
      const task = ['run', '--task', 'NCBI-disease', '--limit', '2', '--max-tokens', '8'];
      const run = await json<RunDetail>([...task, '--model', 'tiny-lora']);
      expect(run).toMatchObject({ status: 'done', itemDone: 2, itemErrors: 0 });
      expect(run.spec?.model).toEqual({
        kind: 'local',
        path: model,
        loras: [{ path: lora, scale: 0.5 }],
        gpuLayers: 'auto',
        contextSize: 4096,
        batchSize: 64,
        threads: 1,
        flashAttention: false,
        configName: 'tiny-lora',
      });
      expect(run.hardware).toMatchObject({ loras: [{ path: lora, scale: 0.5 }], contextSize: 4096, batchSize: 64, threads: 1, flashAttention: false });
      const base = await json<RunDetail>([...task, '--model', model, '--threads', '1', '--context-size', '4096', '--batch-size', '64', '--no-flash-attention']);
      expect(base).toMatchObject({ status: 'done', itemErrors: 0 });
      expect(outputs(run.id)).not.toEqual(outputs(base.id));

      // Flags given replace the configuration's settings; --lora adds after its adapters.
      const over = await json<RunDetail>([...task, '--model', 'tiny-lora', '--threads', '2', '--context-size', '2048', '--lora', `${lora}:0.25`]);
      expect(over.status).toBe('done');
      expect(over.spec?.model).toMatchObject({
        loras: [
          { path: lora, scale: 0.5 },
          { path: lora, scale: 0.25 },
        ],
        threads: 2,
        contextSize: 2048,
        batchSize: 64,
        flashAttention: false,
      });

      const remove = await medtask(['models', 'config', 'remove', 'tiny-lora']);
      expect(remove.code).toBe(0);
      expect(remove.stdout).toBe(`removed configuration ${config!.id}: tiny-lora\n`);
      expect(await json<ModelConfig[]>(['models', 'config', 'list'])).toEqual([]);
      expect((await medtask(['models', 'config', 'list'])).stdout).toMatch(/^no model configurations/);
      await refused([...task, '--model', 'tiny-lora'], /^medtask: --model: no file, library model or configuration "tiny-lora"/);
    },
    SLOW,
  );

  it(
    'refuses bad input with one line naming the argument',
    async () => {
      const add = ['models', 'config', 'add'];
      await refused([...add, 'c1', '--model', 'nope'], /^medtask: --model: no library model "nope"/);
      await refused([...add, 'c1', '--model', String(loraRecord.id)], /^medtask: --model: tiny-llama-7-lora-3 \(id \d+\) is a LoRA adapter, not a base model/);
      await refused([...add, 'c1', '--model', model, '--lora', 'missing-lora'], /^medtask: --lora missing-lora: no library adapter "missing-lora"/);
      await refused([...add, 'c1', '--model', model, '--lora', `${lora}x@2`], /^medtask: --lora \S+ggufx: \S+ggufx is not in the model library/);
      await refused([...add, 'c1', '--model', model, '--lora', `${loraRecord.id}@abc`], /^medtask: --lora: scale "abc" in "\d+@abc" is not a number/);
      await refused([...add, 'c1', '--model', model, '--lora', `${loraRecord.id}@500`], /^medtask: --lora \d+@500: Too big: .*100 \(adapters\.0\.scale\)/);
      await refused([...add, 'c1', '--model', model, '--context-size', '8'], /^medtask: --context-size: Too small: .*16 \(settings\.contextSize\)/);
      await refused([...add, 'c1', '--model', model, '--threads', 'two'], /^medtask: --threads: expected an integer ≥ 1, got "two"/);
      await refused([...add, 'c1', '--model', model, '--flash-attention', 'maybe'], /^medtask: --flash-attention: expected on or off, got "maybe"/);

      expect((await medtask([...add, 'c1', '--model', model, '--context-size', '64'])).code).toBe(0);
      await refused([...add, 'c1', '--model', model], /^medtask: <name>: a configuration named "c1" already exists \(id \d+\); give --replace/);
      const replaced = await medtask([...add, 'c1', '--model', model, '--gpu-layers', '0', '--replace']);
      expect(replaced.stdout).toMatch(/^replaced configuration \d+: c1 = tiny-llama-7 \(gpu-layers 0\)/);
      await refused(['models', 'config', 'remove', 'nope'], /^medtask: <name>: no model configuration "nope"/);

      // A configuration valid when saved is valid in a run: both use one schema per load setting
      // (issue 13; the run spec used to refuse a context under 128 that a configuration allowed).
      expect((await medtask([...add, 'c2', '--model', model, '--context-size', '64'])).code).toBe(0);
      const small = await medtask(['run', '--task', 'NCBI-disease', '--model', 'c2', '--limit', '1', '--max-tokens', '2', '--json']);
      expect(small.stderr).not.toMatch(/contextSize/);
      expect((JSON.parse(small.stdout) as RunDetail).spec?.model).toMatchObject({ kind: 'local', path: model, configName: 'c2', contextSize: 64 });
      expect((await medtask(['models', 'config', 'remove', 'c2'])).code).toBe(0);
      expect((await medtask(['models', 'config', 'remove', 'c1'])).code).toBe(0);
    },
    SLOW,
  );
});

describe('medtask models base', () => {
  it(
    "sets the model an adapter belongs to, and back to automatic; the list's hint names the command",
    async () => {
      const before = await medtask(['models', 'list']);
      expect(before.stdout).toContain(`adapter ${loraRecord.name} (id ${loraRecord.id}) fits several models`);
      expect(before.stdout).toContain(`choose its base with \`medtask models base ${loraRecord.id} MODEL\``);
      expect(before.stdout).not.toContain('in the app');

      const set = await medtask(['models', 'base', loraRecord.name, model]);
      expect(set.code).toBe(0);
      expect(set.stdout).toMatch(new RegExp(`^adapter ${loraRecord.id}: tiny-llama-7-lora-3 → tiny-llama-7 \\(id \\d+\\) \\(chosen\\)\\n$`));
      const list = await json<ModelList>(['models', 'list']);
      const base = list.models.find((m) => m.path === model)!;
      expect(list.adapters[0]?.base).toMatchObject({ modelId: base.id, chosenBy: 'user' });
      expect(base.adapterIds).toEqual([loraRecord.id]);

      const auto = await json<ModelRecord>(['models', 'base', String(loraRecord.id), 'auto']);
      expect(auto.base).toMatchObject({ modelId: null });
      expect(auto.base?.candidates).toHaveLength(2);

      await refused(['models', 'base', model, twin], /^medtask: <adapter>: tiny-llama-7 \(id \d+\) is a model, not a LoRA adapter/);
      await refused(['models', 'base', loraRecord.name, 'nope'], /^medtask: <model>: no library model "nope"/);
    },
    SLOW,
  );
});

describe('medtask models config add: a LoRA on the wrong base', () => {
  it(
    'saves it and warns on stderr, naming the base the adapter was made for; its own base gets no warning',
    async () => {
      // The adapter fits both models (same shapes); its base is chosen as the tiny model.
      expect((await medtask(['models', 'base', String(loraRecord.id), model])).code).toBe(0);
      const twinName = (await json<ModelList>(['models', 'list'])).models.find((m) => m.path === twin)!.name;
      const add = await medtask(['models', 'config', 'add', 'on-twin', '--model', twin, '--lora', String(loraRecord.id), '--json']);
      expect(add.code).toBe(0);
      expect(add.stderr).toBe(
        `warning: configuration "on-twin": Adapter “${loraRecord.name}” was made for “tiny-llama-7” (its base was set to it), not “${twinName}”: its output on this model is unreliable.\n`,
      );
      const saved = JSON.parse(add.stdout) as ModelConfig;
      expect(saved.warnings).toEqual([
        { adapterId: loraRecord.id, expectedBase: 'tiny-llama-7', message: expect.stringContaining(twinName) as unknown as string },
      ]);
      // Listing repeats it; the adapter on its own base is quiet.
      const own = await medtask(['models', 'config', 'add', 'on-own', '--model', model, '--lora', String(loraRecord.id)]);
      expect(own.stderr).toBe('');
      const list = await medtask(['models', 'config', 'list']);
      expect(list.stderr).toMatch(/^warning: configuration "on-twin": Adapter .* was made for “tiny-llama-7”/);
      expect(list.stderr.trim().split('\n')).toHaveLength(1);
      for (const name of ['on-twin', 'on-own']) expect((await medtask(['models', 'config', 'remove', name])).code).toBe(0);
      expect((await medtask(['models', 'base', String(loraRecord.id), 'auto'])).code).toBe(0);
    },
    SLOW,
  );
});

describe('medtask run --remote: --api-key-env and --timeout', () => {
  const remote = ['run', '--task', 'NCBI-disease', '--remote', 'http://127.0.0.1:9', '--remote-model', 'm', '--limit', '1', '--max-tokens', '2'];

  it(
    'refuses an unset key variable and a bad timeout, naming them',
    async () => {
      const env = { ...process.env };
      delete env.MEDTASK_TEST_UNSET_KEY;
      await refused(
        [...remote, '--api-key-env', 'MEDTASK_TEST_UNSET_KEY'],
        /^medtask: --api-key-env: the API key variable MEDTASK_TEST_UNSET_KEY is not set/,
        env,
      );
      await refused([...remote, '--api-key-env', 'lower_case'], /^medtask: --api-key-env: expected the name of an environment variable/);
      for (const bad of ['abc', '0', '-1', ''])
        await refused([...remote, '--timeout', bad], new RegExp(`^medtask: --timeout: expected a positive number of seconds, got "${bad}"`));
      await refused([...remote, '--timeout', '99999'], /^medtask: --timeout: 99999 s is outside 0\.1–3600 s/);
      await refused(['run', '--task', 'NCBI-disease', '--model', model, '--timeout', '5'], /^medtask: --api-key-env and --timeout are for --remote servers/);
      // Refused before the run is created: no failed remote run is left behind.
      const runs = await json<RunSummary[]>(['runs']);
      expect(runs.filter((r) => r.kind === 'remote')).toEqual([]);
    },
    SLOW,
  );

  it('records the key variable (never the key) and the timeout in the run spec', async () => {
    const r = await medtask([...remote, '--api-key-env', 'MEDTASK_TEST_KEY', '--timeout', '2.5', '--json'], {
      ...process.env,
      MEDTASK_TEST_KEY: 'secret-value',
    });
    // Nothing listens on port 9, so every item fails and the run is reported failed (exit 1) —
    // with its spec recorded all the same.
    expect(r.code).toBe(1);
    expect(r.stdout).not.toContain('secret-value');
    const run = JSON.parse(r.stdout) as RunDetail;
    expect(run.status).toBe('failed');
    expect(run.spec?.model).toEqual({
      kind: 'remote',
      baseUrl: 'http://127.0.0.1:9',
      model: 'm',
      concurrency: 1,
      apiKeyEnv: 'MEDTASK_TEST_KEY',
      timeoutMs: 2500,
    });
  });
});
