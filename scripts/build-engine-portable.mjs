// `npm run build:engine-portable`: the CPU engine an installer ships (issue 16). node-llama-cpp's own
// CI build configuration (GGML_NATIVE=OFF, every CPU variant chosen at run time, OpenMP off), compiled
// here from the llama.cpp source bundled in its npm package (unpacked with git). Needs git, a C++
// compiler and cmake (node-llama-cpp downloads cmake itself where it is missing and the network is there).
//
// Why not the prebuilt: node-llama-cpp's shipped linux-x64 binary processed prompts at 53% of
// llama-bench, while this same configuration built here ran at 100-103% (docs/PERFORMANCE.md,
// "What makes the prebuilt slow"). Why not a native build: `-march=native` binaries crash on older
// CPUs than the packaging machine's. Why by hand: node-llama-cpp offers this only as its CLI's hidden
// `--ciMode` (which needs CI=true); it writes the build where node-llama-cpp looks first
// (llama/localBuilds/<os>-<arch>, no custom cmake options in the name), so the engine's
// `getLlama({ build: 'never' })` loads it before the prebuilt for CPU work, while a GPU prebuilt
// (CUDA, Vulkan, Metal) still wins on machines that have one.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const OS_NAMES = { darwin: 'mac', win32: 'win', linux: 'linux' };

/** node-llama-cpp's `llama` folder (source, patches, local builds) and its CLI. */
export function nodeLlamaCppPaths(require = createRequire(import.meta.url)) {
  const entry = require.resolve('node-llama-cpp');
  const dist = path.dirname(entry);
  return { cli: path.join(dist, 'cli', 'cli.js'), llamaDir: path.join(dist, '..', 'llama') };
}

/** The local build folder node-llama-cpp loads first for CPU work on this OS and architecture. */
export function cpuBuildFolder(llamaDir, platform = process.platform, arch = process.arch) {
  return path.join(llamaDir, 'localBuilds', `${OS_NAMES[platform] ?? platform}-${arch}`);
}

/**
 * What a local build is, from its CMakeCache.txt and output folder: 'portable' (no -march=native,
 * CPU variants loaded at run time: safe to ship), 'native' (built for the machine that built it:
 * never ship), 'incomplete' or 'missing'.
 */
export function describeCpuBuild(folder) {
  const cache = path.join(folder, 'CMakeCache.txt');
  const release = path.join(folder, 'Release');
  if (!existsSync(cache)) return { kind: 'missing', variants: [] };
  const text = readFileSync(cache, 'utf8');
  // CMake writes CRLF on Windows; its true values are ON, YES, TRUE, Y and non-zero numbers.
  const option = (name) => new RegExp(`^${name}:BOOL=(\\w+)\\r?$`, 'm').exec(text)?.[1]?.toUpperCase() ?? null;
  const on = (v) => v !== null && (['ON', 'YES', 'TRUE', 'Y'].includes(v) || /^[1-9]\d*$/.test(v));
  const done = existsSync(path.join(folder, 'buildDone.status')) && existsSync(path.join(release, 'llama-addon.node'));
  if (!done) return { kind: 'incomplete', variants: [] };
  const variants = readdirSync(release)
    // x64 variants are names (haswell, zen4), arm64 ones carry versions (armv8.2_1).
    .map((f) => /^(?:lib)?ggml-cpu-([a-z0-9_.]+)\.(?:so|dll|dylib)$/.exec(f)?.[1])
    .filter(Boolean)
    .sort();
  const portable = !on(option('GGML_NATIVE')) && on(option('GGML_BACKEND_DL')) && variants.length > 0;
  return { kind: portable ? 'portable' : 'native', variants, openmp: on(option('GGML_OPENMP')) };
}

function run(command, args, env) {
  console.log(`> ${path.basename(command)} ${args.join(' ')}`);
  const result = spawnSync(command, args, { stdio: 'inherit', env });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`${args.slice(1, 3).join(' ')} failed with exit code ${result.status}`);
}

/**
 * What an installer would ship from `localBuilds` for this OS and architecture (node-llama-cpp loads
 * `<os>-<arch>` and its GPU siblings `<os>-<arch>-cuda` …; `<os>-<arch>.lock` is a lock, not a build), and
 * why it must not: a build for one machine's own CPU, an unfinished build, or, with prebuiltOnly, any
 * local build at all (node-llama-cpp would load it before the prebuilt).
 */
export function shippedEngineProblems(localBuilds, base, { prebuiltOnly = false } = {}) {
  const names = existsSync(localBuilds)
    ? readdirSync(localBuilds).filter((name) => name === base || (name.startsWith(`${base}-`) && !name.endsWith('.lock')))
    : [];
  const builds = names.map((name) => ({ name, build: describeCpuBuild(path.join(localBuilds, name)) })).filter((b) => b.build.kind !== 'missing');
  const problems = builds.flatMap(({ name, build }) => {
    if (prebuiltOnly) return [`localBuilds/${name} would be shipped and loaded before the prebuilt: move it aside`];
    if (build.kind !== 'portable')
      return [`localBuilds/${name} is a ${build.kind} build and would be shipped: move it aside, or run \`npm run build:engine-portable -- --force\``];
    return [];
  });
  return { builds, problems };
}

/** Builds the portable CPU engine unless one is already there; returns what is there afterwards. */
export function buildPortableEngine({ force = false } = {}) {
  const { cli, llamaDir } = nodeLlamaCppPaths();
  const folder = cpuBuildFolder(llamaDir);
  const before = describeCpuBuild(folder);
  if (before.kind === 'portable' && !force) {
    console.log(`portable CPU engine already built (${before.variants.length} CPU variants): ${folder}`);
    return before;
  }
  if (before.kind === 'native') console.log(`replacing a build for this machine's CPU (never shipped): ${folder}`);
  // The bundled source: node-llama-cpp unpacks its git bundle, no network.
  if (!existsSync(path.join(llamaDir, 'llama.cpp', 'CMakeLists.txt')))
    run(process.execPath, [cli, 'source', 'download', '--skipBuild', '--noUsageExample'], process.env);
  run(process.execPath, [cli, 'source', 'build', '--gpu', 'false', '--ciMode', '--noUsageExample'], { ...process.env, CI: 'true' });
  const after = describeCpuBuild(folder);
  if (after.kind !== 'portable')
    throw new Error(`the build in ${folder} is ${after.kind}, not portable (check CMakeCache.txt: GGML_NATIVE should be OFF, GGML_BACKEND_DL ON)`);
  console.log(`portable CPU engine built: ${after.variants.length} CPU variants (${after.variants.join(', ')})`);
  return after;
}

/** Whether this file is the script node was asked to run (real paths: a symlinked checkout still counts). */
function isMain() {
  if (!process.argv[1]) return false;
  try {
    const a = realpathSync(process.argv[1]);
    const b = realpathSync(fileURLToPath(import.meta.url));
    return process.platform === 'win32' ? a.toLowerCase() === b.toLowerCase() : a === b;
  } catch {
    return false;
  }
}

if (isMain()) {
  try {
    buildPortableEngine({ force: process.argv.includes('--force') });
  } catch (err) {
    console.error(`build:engine-portable: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
}
