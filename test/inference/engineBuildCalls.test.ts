/**
 * The contract's engineInfo / buildEngine / cancelEngineBuild through dispatch against a real core.
 * A real build takes minutes (6 here) and rewrites node_modules/node-llama-cpp, which every test shares, so
 * the core is given a stand-in command: a real child process that prints a build's output and starts a
 * grandchild (as cmake starts compilers); the binary described is the real one this checkout loads.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dispatchCall } from '../../src/shared/dispatch';
import type { CallInput, CallName, CallResults } from '../../src/shared/contract';
import { unwrap } from '../../src/shared/errors';
import type { EngineBuildState } from '../../src/shared/models';
import { MedtaskCore } from '../../src/core/service';
import { tempDir } from '../helpers';

const dir = tempDir('medtask-engine-calls-');
const cores: MedtaskCore[] = [];
afterAll(async () => {
  await Promise.all(cores.map((c) => c.dispose()));
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A build that prints clone/cmake/compile lines, starts a grandchild, then hangs (or fails with exit 2). */
function standIn(name: string, end: 'hang' | 'fail'): { command: string[]; pidFile: string } {
  const file = path.join(dir, `${name}.cjs`);
  const pidFile = path.join(dir, `${name}.pid`);
  fs.writeFileSync(
    file,
    `const { spawn } = require('node:child_process');
const g = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
require('node:fs').writeFileSync(${JSON.stringify(pidFile)}, String(g.pid));
console.log('Cloning llama.cpp');
console.log('-- The C compiler identification is GNU 12.2.0');
console.log('[ 12%] Building C object ggml/src/CMakeFiles/ggml-base.dir/ggml.c.o');
${end === 'hang' ? 'setInterval(() => {}, 1000);' : "setTimeout(() => { g.kill(); console.error('CMake Error: could not find CMAKE_CXX_COMPILER'); process.exit(2); }, 100);"}`,
  );
  return { command: [process.execPath, file], pidFile };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(check: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!check() && Date.now() < end) await new Promise((r) => setTimeout(r, 25));
}

function coreWith(command: string[]): { core: MedtaskCore; events: EngineBuildState[] } {
  const core = new MedtaskCore({ home: tempDir('medtask-engine-calls-home-'), engineBuildCommand: command });
  cores.push(core);
  const events: EngineBuildState[] = [];
  core.on('engineBuildProgress', (s) => events.push(s));
  return { core, events };
}

async function call<N extends CallName>(core: MedtaskCore, name: N, input: CallInput<N> = {} as CallInput<N>): Promise<CallResults[N]> {
  return unwrap(await dispatchCall(core.handlers, name, input)) as CallResults[N];
}

describe('engineInfo', () => {
  it('describes the binary this checkout loads, with advice that matches the recommendation', async () => {
    const { core } = coreWith(standIn('info', 'hang').command);
    const info = await call(core, 'engineInfo');
    console.log(`engineInfo: ${info.binary.summary}; advice: ${info.advice}`);
    expect(info.binary.binaryFeatures.length).toBeGreaterThan(0);
    expect(info.build).toBeNull();
    expect(info.restartNeeded).toBe(false);
    expect(info.binary.buildRecommended).toBe(info.binary.buildType === 'prebuilt');
    if (info.binary.buildRecommended)
      expect(info.advice).toMatch(/^Prompts of F16 models run at about half this CPU's speed.*Build for this CPU \(a few minutes/);
    else if (info.binary.cpuVariant) expect(info.advice).toBe('The engine runs a portable build from source: prompts run at full speed.');
    else expect(info.advice).toBe('The engine runs a build for this CPU: prompts run at full speed.');
    // Nothing may be passed: no path, URL or command reaches the build from a caller.
    const refused = await dispatchCall(core.handlers, 'buildEngine', { command: ['sh', '-c', 'true'] });
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error.code).toBe('invalid_input');
  });
});

describe('buildEngine and cancelEngineBuild', () => {
  it('starts, reports progress, and a cancel stops it and what it started within seconds; the prebuilt stays', async () => {
    const { command, pidFile } = standIn('cancel', 'hang');
    const { core, events } = coreWith(command);
    const before = await call(core, 'engineInfo');
    if (before.binary.buildType !== 'prebuilt') {
      // buildEngine refuses a local build (nothing to build); that answer is checked instead.
      console.log('this checkout loads a local build: buildEngine must refuse with a conflict, and did');
      expect((await dispatchCall(core.handlers, 'buildEngine', {})).ok).toBe(false);
      return;
    }
    const started = await call(core, 'buildEngine');
    expect(started).toMatchObject({ state: 'running', seconds: null, message: null });
    // A second build while one runs is a conflict, not a second compiler run.
    const again = await dispatchCall(core.handlers, 'buildEngine', {});
    expect(again.ok ? null : again.error.code).toBe('conflict');
    await until(() => events.some((e) => e.phase === 'compile'), 10_000);
    expect(events.find((e) => e.phase === 'compile')).toMatchObject({ state: 'running', fraction: 0.12 });
    expect((await call(core, 'engineInfo')).build?.state).toBe('running');
    const grandchild = Number(fs.readFileSync(pidFile, 'utf8'));
    expect(alive(grandchild)).toBe(true);

    const t0 = Date.now();
    expect(await call(core, 'cancelEngineBuild')).toBe(true);
    await until(() => events.at(-1)?.state === 'cancelled', 5_000);
    await until(() => !alive(grandchild), 3_000);
    console.log(`cancel → cancelled event and grandchild gone in ${Date.now() - t0} ms`);
    expect(events.at(-1)).toMatchObject({ state: 'cancelled' });
    expect(events.at(-1)!.message).toMatch(/bundled engine stays in use/);
    expect(alive(grandchild)).toBe(false);
    const after = await call(core, 'engineInfo');
    expect(after.binary.buildType).toBe('prebuilt');
    expect(after.binary.summary).toBe(before.binary.summary);
    expect(after).toMatchObject({ restartNeeded: false, build: { state: 'cancelled' } });
    expect(await call(core, 'cancelEngineBuild')).toBe(false);
  });

  it('a failed build says what to do next and keeps the prebuilt', async () => {
    const { core, events } = coreWith(standIn('fail', 'fail').command);
    if ((await call(core, 'engineInfo')).binary.buildType !== 'prebuilt') return console.log('local build loaded: covered by the refusal above');
    await call(core, 'buildEngine');
    await until(() => events.at(-1)?.state === 'failed', 10_000);
    const info = await call(core, 'engineInfo');
    expect(info.build).toMatchObject({ state: 'failed' });
    expect(info.build!.message).toMatch(/exit 2.*prebuilt binary stays in use.*Install cmake and a C\+\+ compiler/);
    expect(info.build!.tail.join('\n')).toMatch(/CMAKE_CXX_COMPILER/);
    expect(info.binary.buildType).toBe('prebuilt');
    // A failed build may be tried again.
    expect((await call(core, 'buildEngine')).state).toBe('running');
    await until(() => events.at(-1)?.state === 'failed' && events.filter((e) => e.state === 'failed').length === 2, 10_000);
  });

  it('dispose() cancels a build in flight and kills what it started', async () => {
    const { command, pidFile } = standIn('dispose', 'hang');
    const { core, events } = coreWith(command);
    if ((await call(core, 'engineInfo')).binary.buildType !== 'prebuilt') return console.log('local build loaded: covered by the refusal above');
    await call(core, 'buildEngine');
    await until(() => events.some((e) => e.phase === 'compile'), 10_000);
    const grandchild = Number(fs.readFileSync(pidFile, 'utf8'));
    const t0 = Date.now();
    await core.dispose();
    await until(() => !alive(grandchild), 3_000);
    console.log(`dispose with a build in flight: ${Date.now() - t0} ms`);
    expect(alive(grandchild)).toBe(false);
    expect(events.at(-1)?.state).toBe('cancelled');
  });
});
