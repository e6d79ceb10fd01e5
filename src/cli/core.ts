/** How every command reaches the engine: one core per invocation over the chosen data directory. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { dispatchCall, unwrap, type CallInput, type CallName, type CallResults } from '../shared';
import { resolveHome } from '../core/home';
import { MedtaskCore } from '../core/service';

export function appRoot(): string {
  // The bundle lives in out/cli/; the repository (or installed package) root is two up.
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
}

export function openCore(cmd: Command): MedtaskCore {
  const home = resolveHome(cmd.optsWithGlobals<{ home?: string }>().home);
  return new MedtaskCore({ home, demoPackDir: path.join(appRoot(), 'resources/demo-pack') });
}

/** The CLI goes through the same validated dispatch as the hosts. */
export async function call<N extends CallName>(core: MedtaskCore, name: N, input: CallInput<N>): Promise<CallResults[N]> {
  return unwrap(await dispatchCall(core.handlers, name, input)) as CallResults[N];
}

