// Builds llama.cpp tools (llama-server, llama-bench, ...) from the source that node-llama-cpp ships
// (node_modules/node-llama-cpp/llama/gitRelease.bundle) into a cache directory, once per
// (release, source commit, build flags). Plain Node ESM, no dependencies; needs git, cmake and a C++
// compiler on PATH. Used by scripts/build-llama.mjs (CLI), tests and benchmarks.
//
// Cache layout (root = $MEDTASK_LLAMA_CACHE or ~/.cache/medtask/llama.cpp):
//   <root>/<release>-<commit12>/src              the extracted source (git clone of the bundle)
//   <root>/<release>-<commit12>/build-<variant>  one build tree per flag set (cpu, cuda, ...)
//     bin/llama-server, bin/llama-bench, medtask-build.json (flags, targets, durations)
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, homedir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export const DEFAULT_TARGETS = Object.freeze(['llama-server', 'llama-bench']);

/** Tool → Debian/Ubuntu package that provides it. */
const APT_PACKAGES = { git: 'git', cmake: 'cmake', 'c++': 'g++', cc: 'gcc', make: 'make', ninja: 'ninja-build' };

function which(cmd) {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

/**
 * Which build tools are present. `missing` names the tools that are required and absent, and
 * `aptPackages` the packages that would provide them (`apt-get install -y <aptPackages>`).
 */
export function checkBuildTools({ cuda = false } = {}) {
  const found = {
    git: which('git'),
    cmake: which('cmake'),
    'c++': which('c++') ?? which('g++') ?? which('clang++'),
    cc: which('cc') ?? which('gcc') ?? which('clang'),
    ninja: which('ninja'),
    make: which('make'),
  };
  const missing = ['git', 'cmake', 'c++', 'cc'].filter((t) => !found[t]);
  // CMake needs one generator: Ninja (preferred, faster) or make.
  if (!found.ninja && !found.make) missing.push('make');
  if (cuda && !which('nvcc')) missing.push('nvcc');
  const aptPackages = [...new Set(missing.filter((t) => t !== 'nvcc').map((t) => APT_PACKAGES[t]))];
  let message = null;
  if (missing.length > 0) {
    const parts = [];
    if (aptPackages.length > 0) parts.push(`install them with: apt-get install -y ${aptPackages.join(' ')}`);
    if (missing.includes('nvcc')) parts.push('--cuda needs the CUDA toolkit (nvcc on PATH)');
    message = `Cannot build llama.cpp: missing ${missing.join(', ')}; ${parts.join('; ')}.`;
  }
  return { ok: missing.length === 0, found, missing, aptPackages, message };
}

/** The llama.cpp source that node-llama-cpp ships: bundle path, release tag and commit. */
export function llamaSourceInfo({ nodeLlamaCppDir } = {}) {
  const dir = nodeLlamaCppDir ?? path.join(repoRoot, 'node_modules', 'node-llama-cpp', 'llama');
  const bundle = path.join(dir, 'gitRelease.bundle');
  if (!existsSync(bundle)) throw new Error(`llama.cpp source bundle not found: ${bundle} (is node-llama-cpp installed?)`);
  let release = 'unknown';
  let repo = null;
  for (const [file, key] of [
    ['llama.cpp.info.json', 'tag'],
    ['binariesGithubRelease.json', 'release'],
  ]) {
    try {
      const json = JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
      if (typeof json[key] === 'string' && json[key]) {
        release = json[key];
        repo = json.llamaCppGithubRepo ?? repo;
        break;
      }
    } catch {
      // try the next file
    }
  }
  // The bundle header is text: "# v2 git bundle\n<sha> HEAD\n...". Read it without git.
  const fd = openSync(bundle, 'r');
  const head = Buffer.alloc(512);
  const n = readSync(fd, head, 0, head.length, 0);
  closeSync(fd);
  const m = /^([0-9a-f]{40}) /m.exec(head.subarray(0, n).toString('latin1'));
  const commit = m ? m[1] : 'unknown';
  return { bundle, release, repo, commit };
}

export function cacheRoot() {
  return process.env.MEDTASK_LLAMA_CACHE || path.join(homedir(), '.cache', 'medtask', 'llama.cpp');
}

/** CMake arguments for a variant. Everything not needed by the tools is off (smaller, faster, offline). */
export function cmakeArgs({ cuda = false, native = true, extra = [] } = {}) {
  const args = [
    '-DCMAKE_BUILD_TYPE=Release',
    '-DBUILD_SHARED_LIBS=OFF', // self-contained binaries
    '-DLLAMA_CURL=OFF', // (older releases) no libcurl
    '-DLLAMA_OPENSSL=OFF', // no HTTPS client, no libssl-dev
    '-DLLAMA_BUILD_UI=OFF', // no npm build of the web UI
    '-DLLAMA_USE_PREBUILT_UI=OFF', // and no download of it at build time
    `-DGGML_NATIVE=${native ? 'ON' : 'OFF'}`,
    '-DLLAMA_BUILD_TESTS=OFF',
    '-DLLAMA_BUILD_EXAMPLES=OFF',
    '-DLLAMA_BUILD_SERVER=ON',
  ];
  if (cuda) args.push('-DGGML_CUDA=ON', '-DCMAKE_CUDA_ARCHITECTURES=native');
  return [...args, ...extra];
}

function variantName(args, cuda) {
  const hash = createHash('sha256').update(args.join('\n')).digest('hex').slice(0, 8);
  return `${cuda ? 'cuda' : 'cpu'}-${hash}`;
}

const exe = (name) => (process.platform === 'win32' ? `${name}.exe` : name);

/** Paths for the given options, whether or not they are built yet. */
export function llamaBuildPaths(options = {}) {
  const { cuda = false, targets = DEFAULT_TARGETS } = options;
  const source = llamaSourceInfo(options);
  const args = cmakeArgs(options);
  const variant = variantName(args, cuda);
  const releaseDir = path.join(options.cacheDir ?? cacheRoot(), `${source.release}-${source.commit.slice(0, 12)}`);
  const srcDir = path.join(releaseDir, 'src');
  const buildDir = path.join(releaseDir, `build-${variant}`);
  const binDir = path.join(buildDir, 'bin');
  const binaries = Object.fromEntries(targets.map((t) => [t, path.join(binDir, exe(t))]));
  return { source, args, variant, releaseDir, srcDir, buildDir, binDir, binaries, stamp: path.join(buildDir, 'medtask-build.json') };
}

function readStamp(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

/** The built binaries when every requested target is already in the cache for these flags, else null. */
export function findCachedLlamaBinaries(options = {}) {
  const p = llamaBuildPaths(options);
  const stamp = readStamp(p.stamp);
  if (!stamp || stamp.args?.join('\n') !== p.args.join('\n') || stamp.commit !== p.source.commit) return null;
  const built = new Set(stamp.targets ?? []);
  for (const [t, bin] of Object.entries(p.binaries)) if (!built.has(t) || !existsSync(bin)) return null;
  return { ...p.binaries };
}

function run(cmd, args, { cwd, log }) {
  return new Promise((resolve, reject) => {
    log(`$ ${[cmd, ...args].join(' ')}`);
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let tail = '';
    const onData = (chunk) => {
      const s = chunk.toString();
      tail = (tail + s).slice(-4000);
      for (const line of s.split('\n')) if (line.trim()) log(line);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', (err) => reject(new Error(`${cmd} could not start: ${err.message}`)));
    child.on('close', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`${cmd} ${args.slice(0, 3).join(' ')} ... failed (${signal ?? `exit ${code}`}). Last output:\n${tail}`));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function pidAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

/** A cross-process lock (a directory) so parallel test files never build the same tree twice at once. */
async function withLock(dir, log, fn) {
  const lock = `${dir}.lock`;
  mkdirSync(path.dirname(lock), { recursive: true });
  let announced = false;
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(path.join(lock, 'pid'), String(process.pid));
      break;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      let owner = NaN;
      try {
        owner = Number(readFileSync(path.join(lock, 'pid'), 'utf8'));
      } catch {
        // pid not written yet
      }
      const age = (() => {
        try {
          return Date.now() - statSync(lock).mtimeMs;
        } catch {
          return 0;
        }
      })();
      if ((Number.isFinite(owner) && owner > 0 && !pidAlive(owner)) || (!Number.isFinite(owner) && age > 60_000)) {
        rmSync(lock, { recursive: true, force: true });
        continue;
      }
      if (!announced) {
        log(`waiting for another build (lock ${lock}, pid ${owner})`);
        announced = true;
      }
      await sleep(1000);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/**
 * Builds the requested llama.cpp targets (default llama-server and llama-bench) unless the cache has
 * them for this release and these flags. Resolves to `{binaries: {target: path}, cached, seconds, ...}`.
 *
 * Options: targets, cuda (adds -DGGML_CUDA=ON), native (GGML_NATIVE, default true), extra (more CMake
 * args), jobs (default: all cores), cacheDir, force (rebuild), log (line callback; default stderr),
 * nodeLlamaCppDir (where gitRelease.bundle lives).
 */
export async function buildLlama(options = {}) {
  const log = options.log ?? ((line) => process.stderr.write(`${line}\n`));
  const p = llamaBuildPaths(options);
  const cached = !options.force && findCachedLlamaBinaries(options);
  if (cached) return { binaries: cached, cached: true, seconds: 0, release: p.source.release, commit: p.source.commit, buildDir: p.buildDir };

  const tools = checkBuildTools({ cuda: options.cuda });
  if (!tools.ok) throw new Error(tools.message);

  return withLock(p.buildDir, log, async () => {
    // Someone else may have built it while we waited.
    const again = !options.force && findCachedLlamaBinaries(options);
    if (again) return { binaries: again, cached: true, seconds: 0, release: p.source.release, commit: p.source.commit, buildDir: p.buildDir };
    const started = performance.now();
    const timings = {};

    // The source tree is shared by every variant: extract it under its own lock, into a temporary
    // folder renamed into place, so a half-written tree is never used.
    const marker = path.join(p.srcDir, '.medtask-extracted');
    if (!existsSync(marker)) {
      await withLock(p.srcDir, log, async () => {
        if (existsSync(marker)) return;
        const t0 = performance.now();
        const tmp = `${p.srcDir}.tmp-${process.pid}`;
        rmSync(tmp, { recursive: true, force: true });
        mkdirSync(p.releaseDir, { recursive: true });
        await run(tools.found.git, ['-c', 'advice.detachedHead=false', 'clone', '--quiet', p.source.bundle, tmp], { cwd: p.releaseDir, log });
        writeFileSync(path.join(tmp, '.medtask-extracted'), `${p.source.commit}\n`);
        rmSync(p.srcDir, { recursive: true, force: true }); // a partial tree from an interrupted run
        renameSync(tmp, p.srcDir);
        timings.extractSeconds = (performance.now() - t0) / 1000;
      });
    }

    const generator = tools.found.ninja ? ['-G', 'Ninja'] : [];
    const configured = existsSync(path.join(p.buildDir, 'CMakeCache.txt'));
    const t1 = performance.now();
    if (!configured || options.force) {
      await run(tools.found.cmake, ['-S', p.srcDir, '-B', p.buildDir, ...generator, ...p.args], { cwd: p.releaseDir, log });
    }
    timings.configureSeconds = (performance.now() - t1) / 1000;

    const targets = Object.keys(p.binaries);
    const jobs = options.jobs ?? availableParallelism();
    const t2 = performance.now();
    await run(tools.found.cmake, ['--build', p.buildDir, '--config', 'Release', '--target', ...targets, '-j', String(jobs)], { cwd: p.releaseDir, log });
    timings.compileSeconds = (performance.now() - t2) / 1000;

    for (const [t, bin] of Object.entries(p.binaries)) if (!existsSync(bin)) throw new Error(`build finished but ${t} is missing at ${bin}`);
    const previous = readStamp(p.stamp);
    const keep = previous && previous.args?.join('\n') === p.args.join('\n') && previous.commit === p.source.commit ? (previous.targets ?? []) : [];
    const seconds = (performance.now() - started) / 1000;
    writeFileSync(
      p.stamp,
      `${JSON.stringify(
        {
          release: p.source.release,
          commit: p.source.commit,
          args: p.args,
          targets: [...new Set([...keep, ...targets])].filter((t) => existsSync(path.join(p.binDir, exe(t)))),
          jobs,
          seconds,
          ...timings,
          builtAt: new Date().toISOString(),
        },
        null,
        2,
      )}\n`,
    );
    return { binaries: { ...p.binaries }, cached: false, seconds, ...timings, release: p.source.release, commit: p.source.commit, buildDir: p.buildDir };
  });
}
