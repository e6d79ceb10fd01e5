/**
 * `medtask engine info` and `medtask engine build`: which llama.cpp binary the engine runs, and the
 * one-time build for this CPU (progress on stderr, Ctrl+C cancels, the prebuilt binary stays on failure).
 */
import type { Command } from 'commander';
import { llamaBinaryInfo, type LlamaBinaryInfo } from '../../core/inference/binaryInfo';
import { buildBlockers } from '../../core/inference/buildPrerequisites';
import { buildEngineForThisCpu, nodeLlamaCppLlamaDir } from '../../core/inference/engineBuild';
import { UnsupportedError } from '../../core/errors';
import { InferenceEngine } from '../../core/inference/engine';
import { printJson } from '../output';

async function currentBinary(): Promise<LlamaBinaryInfo> {
  // CPU only: which binary runs on the CPU is the question; a GPU probe would only slow it down.
  const engine = new InferenceEngine({ gpu: false });
  try {
    return llamaBinaryInfo(await engine.getLlama());
  } finally {
    await engine.dispose();
  }
}

export function registerEngineCommands(program: Command): void {
  const engine = program.command('engine').description('the llama.cpp binary the engine runs, and a build for this CPU');

  engine
    .command('info')
    .description('which binary the engine loads (portable prebuilt or built here), what it and the CPU support')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const info = await currentBinary();
      const cannotBuild = info.buildType === 'localBuild' ? [] : buildBlockers({ llamaDir: nodeLlamaCppLlamaDir() });
      if (opts.json) return printJson({ ...info, cannotBuild: cannotBuild.length ? cannotBuild : null });
      process.stdout.write(`engine binary: ${info.summary}\n`);
      if (info.buildRecommended && cannotBuild.length)
        process.stdout.write(`a build for this CPU is likely faster (${info.buildReason}), but it cannot start here: ${cannotBuild.join('; ')}.\n`);
      else
        process.stdout.write(
          info.buildRecommended
            ? `a build for this CPU is likely faster: ${info.buildReason}. Run \`medtask engine build\` (one time, a few minutes: about 6 on 2 cores).\n`
            : `${info.buildReason}.\n`,
        );
    });

  engine
    .command('build')
    .description("build the engine for this CPU from node-llama-cpp's bundled llama.cpp source (needs cmake and a C++ compiler; Ctrl+C cancels)")
    .option('--force', 'build even when the engine already runs a local build')
    .action(async (opts: { force?: boolean }) => {
      const before = await currentBinary();
      if (before.buildType === 'localBuild' && !opts.force) {
        process.stdout.write(`${before.buildReason}; --force builds again for this CPU\n`);
        return;
      }
      const blockers = buildBlockers({ llamaDir: nodeLlamaCppLlamaDir() });
      if (blockers.length) throw new UnsupportedError(`a build for this CPU cannot start here: ${blockers.join('; ')}. The bundled engine stays in use.`);
      const controller = new AbortController();
      const onSigint = (): void => {
        process.stderr.write('\ncancelling the build …\n');
        controller.abort();
      };
      process.once('SIGINT', onSigint);
      let lastPhase = '';
      let lastPct = -1;
      try {
        const result = await buildEngineForThisCpu({
          signal: controller.signal,
          onProgress: (p) => {
            if (p.phase !== lastPhase) process.stderr.write(`${lastPct >= 0 ? '\n' : ''}${p.phase} …\n`);
            lastPhase = p.phase;
            if (p.fraction === null || !process.stderr.isTTY) return;
            const pct = Math.floor(p.fraction * 100);
            if (pct === lastPct) return;
            lastPct = pct;
            process.stderr.write(`\r${p.phase} ${pct}%`);
          },
        });
        process.stderr.write('\n');
        // node-llama-cpp keeps the binding it loaded for the life of a process: the build is used from the next start.
        process.stdout.write(`built in ${Math.round(result.seconds)} s; the engine loads it from its next start (check with \`medtask engine info\`)\n`);
      } finally {
        process.removeListener('SIGINT', onSigint);
      }
    });
}
