/**
 * Busy-loop child processes that hold N cores for `bench:infer -- --load N`, and their cleanup:
 * killed on stop(), on the parent's exit, on SIGINT/SIGTERM, and by themselves when orphaned.
 */
import { spawn, type ChildProcess } from 'node:child_process';

/**
 * The spinner's own code: a busy loop that every few million iterations checks whether its parent
 * is still the one that started it. A parent killed with SIGKILL runs no handler; the orphan then
 * sees itself re-parented and exits, so a crashed bench never leaves a core spinning.
 */
const SPIN = [
  "const fs = require('node:fs');",
  // The parent's pid comes as an argument: one read from process.ppid while this process boots may already see
  // the re-parented orphan. process.ppid is also read once by Node; /proc gives the parent now (elsewhere:
  // whether the old parent still exists).
  'const p = Number(process.argv[1]);',
  "const parent = () => { try { return Number(fs.readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ')[1]); } catch { try { process.kill(p, 0); return p; } catch { return -1; } } };",
  'let i = 0;',
  'for (;;) { if (++i === 5e6) { i = 0; if (parent() !== p) process.exit(0); } }',
].join('\n');

export interface Spinners {
  readonly pids: readonly number[];
  /** Kills every spinner and waits until each has exited. Idempotent. */
  stop(): Promise<void>;
}

const live = new Set<ChildProcess>();
let hooked = false;

function killAll(): void {
  for (const child of live) child.kill('SIGKILL');
  live.clear();
}

/** Signal and exit handlers, installed once: kill the spinners, then leave as the signal would. */
function hook(): void {
  if (hooked) return;
  hooked = true;
  process.on('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      killAll();
      process.kill(process.pid, signal);
    });
  }
}

/** Starts `n` busy-loop processes (each holds one core while the scheduler lets it). */
export async function startSpinners(n: number): Promise<Spinners> {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`--load needs a whole number of busy processes, got ${n}`);
  hook();
  const children: ChildProcess[] = [];
  for (let i = 0; i < n; i++) {
    const child = spawn(process.execPath, ['-e', SPIN, String(process.pid)], { stdio: 'ignore' });
    live.add(child);
    children.push(child);
  }
  // A spawn that failed (no pid) is an error now, not a silently idle condition.
  await Promise.all(
    children.map(
      (c) =>
        new Promise<void>((resolve, reject) => {
          c.once('spawn', resolve);
          c.once('error', reject);
        }),
    ),
  );
  let stopped: Promise<void> | null = null;
  return {
    pids: children.map((c) => c.pid!),
    stop() {
      stopped ??= Promise.all(
        children.map(
          (c) =>
            new Promise<void>((resolve) => {
              live.delete(c);
              if (c.exitCode !== null || c.signalCode !== null) return resolve();
              c.once('exit', () => resolve());
              c.kill('SIGKILL');
            }),
        ),
      ).then(() => undefined);
      return stopped;
    },
  };
}
