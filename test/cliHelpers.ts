// Runs the real commander program in-process (no build step) on a library home and returns what it printed.
import { buildProgram } from '../src/cli/index';

/**
 * `medtask --home HOME ARGS…` through buildProgram(), capturing stdout. Commander's errors throw
 * (exitOverride) instead of exiting the test process; stderr is left alone.
 */
export async function medtaskIn(home: string, ...args: string[]): Promise<string> {
  let out = '';
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array) => {
    out += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  }) as typeof process.stdout.write;
  try {
    await buildProgram()
      .exitOverride()
      .parseAsync(['node', 'medtask', '--home', home, ...args]);
  } finally {
    process.stdout.write = write;
  }
  return out;
}
