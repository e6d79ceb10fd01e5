/**
 * The app's "Build for this CPU": at most one build per core, its state for `engineInfo`, progress as
 * `engineBuildProgress` events, cancel, and the plain-language advice the runtime panel shows.
 */
import type { Llama } from 'node-llama-cpp';
import type { EngineBuildState, EngineInfo } from '../../shared/models';
import { CancelledError, ConflictError, UnsupportedError } from '../errors';
import { llamaBinaryInfo, type LlamaBinaryInfo } from './binaryInfo';
import { buildBlockers } from './buildPrerequisites';
import { buildEngineForThisCpu, nodeLlamaCppLlamaDir } from './engineBuild';

export interface EngineBuildJobOptions {
  /** The runtime whose binary is described (the host's node-llama-cpp: the same binary the engine child loads). */
  getLlama: () => Promise<Pick<Llama, 'buildType' | 'systemInfo'>>;
  emit: (state: EngineBuildState) => void;
  /** Tests only: a stand-in for node-llama-cpp's build command (a real build takes minutes: 6 on a 2-core machine). */
  command?: readonly string[];
  /** Why a build cannot start here (default: cmake, a compiler and a writable engine folder are checked). */
  blockers?: () => string[];
}

/** The reasons, as one sentence that ends with what to do. */
function cannotBuildText(blockers: string[]): string | null {
  return blockers.length ? `A build for this CPU cannot start here: ${blockers.join('; ')}.` : null;
}

const TAIL = 12;

/** The sentence the runtime panel shows above the build button (and the reason it shows no button). */
export function engineAdvice(binary: LlamaBinaryInfo, build: EngineBuildState | null, cannotBuild: string | null = null): string {
  if (build?.state === 'succeeded') return 'The engine was built for this CPU. Restart MedTask to use it; until then the bundled engine runs.';
  if (binary.buildType === 'localBuild')
    return binary.cpuVariant
      ? 'The engine runs a portable build from source: prompts run at full speed.'
      : 'The engine runs a build for this CPU: prompts run at full speed.';
  const unused = binary.unused.length ? ` It also leaves ${binary.unused.join(', ')} unused.` : '';
  // Measured (docs/PERFORMANCE.md, issue 16): the prebuilt's prompt processing at 40-53% of llama-bench on an F16
  // model, 94% on a Llama-3.2-1B-shaped Q4_K_M one.
  const speed = `Prompts of F16 models run at about half this CPU's speed with the bundled engine (quantized ones such as Q4_K_M at about 94%).${unused}`;
  if (cannotBuild) return `${speed} ${cannotBuild} The bundled engine works meanwhile.`;
  return `${speed} Build for this CPU (a few minutes: about 6 on 2 cores; needs cmake and a compiler; the bundled engine stays if it fails).`;
}

export class EngineBuildJob {
  private state: EngineBuildState | null = null;
  private controller: AbortController | null = null;
  private running: Promise<void> | null = null;

  constructor(private readonly options: EngineBuildJobOptions) {}

  async info(): Promise<EngineInfo> {
    const binary = llamaBinaryInfo(await this.options.getLlama());
    const build = this.state && { ...this.state, tail: [...this.state.tail] };
    const cannotBuild = binary.buildType === 'localBuild' ? null : cannotBuildText(this.blockers());
    return { binary, build, restartNeeded: build?.state === 'succeeded', advice: engineAdvice(binary, build, cannotBuild), cannotBuild };
  }

  private blockers(): string[] {
    return this.options.blockers ? this.options.blockers() : buildBlockers({ llamaDir: nodeLlamaCppLlamaDir() });
  }

  /**
   * Starts the build and answers at once (a build takes minutes: longer than a call should wait);
   * progress and the outcome arrive as events, and `info()` has the latest state for a reloaded page.
   * `done` settles when the build has ended and never rejects (the outcome is in the state).
   */
  async start(): Promise<{ state: EngineBuildState; done: Promise<void> }> {
    if (this.running) throw new ConflictError('a build for this CPU is already running; cancel it first to start again');
    if (this.state?.state === 'succeeded') throw new ConflictError('the engine was already built for this CPU; restart MedTask to use it');
    // Checked before anything starts; the answer is kept by node-llama-cpp, so asking again is cheap.
    const binary = llamaBinaryInfo(await this.options.getLlama());
    if (binary.buildType === 'localBuild') throw new ConflictError(`${binary.buildReason}; there is nothing to build`);
    const cannotBuild = cannotBuildText(this.blockers());
    if (cannotBuild) throw new UnsupportedError(`${cannotBuild} The bundled engine stays in use.`);
    if (this.running) throw new ConflictError('a build for this CPU is already running; cancel it first to start again');
    const controller = new AbortController();
    this.controller = controller;
    const state: EngineBuildState = { state: 'running', phase: 'starting', fraction: null, tail: [], startedAt: Date.now(), seconds: null, message: null };
    this.state = state;
    const publish = (): void => this.options.emit({ ...state, tail: [...state.tail] });
    let lastPct = -1;
    const done = buildEngineForThisCpu({
      signal: controller.signal,
      ...(this.options.command ? { command: this.options.command } : {}),
      onProgress: (p) => {
        state.tail.push(p.line);
        if (state.tail.length > TAIL) state.tail.shift();
        // One event per phase change or whole percent: the panel draws a bar and a short log, not every line.
        const pct = p.fraction === null ? -1 : Math.floor(p.fraction * 100);
        if (p.phase === state.phase && pct === lastPct) return;
        lastPct = pct;
        state.phase = p.phase;
        state.fraction = p.fraction;
        publish();
      },
    }).then(
      (result) => {
        Object.assign(state, { state: 'succeeded', phase: 'done', fraction: 1, tail: result.tail.slice(-TAIL), seconds: result.seconds });
      },
      (err: unknown) => {
        const cancelled = err instanceof CancelledError;
        const text = err instanceof Error ? err.message : String(err);
        // The build's last lines travel in `tail`; the message keeps its first line and says what to do next.
        const firstLine = text.split('\n')[0] ?? text;
        const tailFrom = text.includes('Last output:\n') ? text.slice(text.indexOf('Last output:\n') + 13).split('\n') : null;
        Object.assign(state, {
          state: cancelled ? 'cancelled' : 'failed',
          seconds: (Date.now() - state.startedAt) / 1000,
          message: cancelled
            ? 'The build was cancelled; the bundled engine stays in use. Build again at any time.'
            : `${firstLine}. Install cmake and a C++ compiler (Linux: "apt install cmake build-essential"; macOS: "xcode-select --install" and cmake), then build again.`,
          ...(tailFrom ? { tail: tailFrom.slice(-TAIL) } : {}),
        });
      },
    );
    const ended = done.finally(() => {
      this.running = null;
      this.controller = null;
      publish();
    });
    this.running = ended;
    publish();
    return { state: { ...state, tail: [...state.tail] }, done: ended };
  }

  /** True when a build was running and is now stopping (its process group is killed). */
  cancel(): boolean {
    const c = this.controller;
    c?.abort();
    return c !== null;
  }

  /** Settles once no build is running. */
  idle(): Promise<void> {
    return this.running ?? Promise.resolve();
  }
}
