/** How every command reaches the engine: one core per invocation over the chosen data directory. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { dispatchCall, unwrap, type CallInput, type CallName, type CallResults } from '../shared';
import { resolveHome } from '../core/home';
import { MedtaskCore, type CoreOptions } from '../core/service';
import { Logger, logFile } from '../core/log/logger';

export function appRoot(): string {
  // The bundle lives in out/cli/; the repository (or installed package) root is two up.
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
}

/** `extra` lets a command add options of its own (`serve` confines file access). */
export function openCore(cmd: Command, extra: Partial<CoreOptions> = {}): MedtaskCore {
  const globals = cmd.optsWithGlobals<{ home?: string; verbose?: boolean }>();
  const home = resolveHome(globals.home);
  const log = new Logger({
    file: logFile(home),
    level: 'info',
    ...(globals.verbose ? { echo: (line: string) => process.stderr.write(`${line}\n`), echoLevel: 'debug' as const } : {}),
  }).child('cli');
  return new MedtaskCore({ home, demoPackDir: path.join(appRoot(), 'resources/demo-pack'), log, ...extra });
}

/** The CLI goes through the same validated dispatch as the hosts; bugs are logged with their stack. */
export async function call<N extends CallName>(core: MedtaskCore, name: N, input: CallInput<N>): Promise<CallResults[N]> {
  const envelope = await dispatchCall(core.handlers, name, input, { onBug: (callName, err) => core.log.error(`bug in ${callName}`, err) });
  return unwrap(envelope) as CallResults[N];
}
