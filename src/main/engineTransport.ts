/**
 * The inference engine's child process in the desktop app: Electron's utilityProcess running
 * the same entry as the CLI's fork (out/inference/engineChild.js), so a native abort in llama.cpp
 * ends only that process. child_process.fork cannot be used here: it re-runs the Electron binary
 * as Node, which the RunAsNode fuse turns off in release builds.
 */
import { utilityProcess } from 'electron';
import { resolveEngineEntry, type EngineTransport } from '../core/inference/child/transport';
import type { FromChild, ToChild } from '../core/inference/child/protocol';

export async function utilityProcessTransport(env: Record<string, string>): Promise<EngineTransport> {
  const entry = await resolveEngineEntry();
  const child = utilityProcess.fork(entry, [], {
    env: { ...process.env, ...env },
    stdio: 'pipe',
    serviceName: 'MedTask inference engine',
  });
  const outputs: ((text: string) => void)[] = [];
  const forward = (chunk: Buffer): void => {
    const text = chunk.toString('utf8');
    process.stderr.write(text);
    for (const l of outputs) l(text);
  };
  child.stdout?.on('data', forward);
  child.stderr?.on('data', forward);
  let exited = false;
  let exitCode: number | null = null;
  const exits: ((code: number | null, signal: string | null) => void)[] = [];
  child.once('exit', (code) => {
    exited = true;
    exitCode = code;
    for (const l of exits) l(code, null);
  });
  // Messages go out only once the process runs; a start that fails reports as an exit.
  await new Promise<void>((resolve) => {
    child.once('spawn', () => resolve());
    child.once('exit', () => resolve());
  });
  return {
    get pid() {
      return child.pid;
    },
    send(message: ToChild) {
      if (!exited) child.postMessage(message);
    },
    onMessage(listener: (message: FromChild) => void) {
      child.on('message', (m: unknown) => listener(m as FromChild));
    },
    onExit(listener) {
      if (exited) listener(exitCode, null);
      else exits.push(listener);
    },
    onOutput(listener) {
      outputs.push(listener);
    },
    kill() {
      if (!exited) child.kill();
    },
  };
}
