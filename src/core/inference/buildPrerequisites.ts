/**
 * What a build for this CPU needs before it can start: cmake and a C++ compiler on the PATH (this
 * machine may be offline, so node-llama-cpp cannot fetch cmake for itself), and a writable folder for
 * node-llama-cpp's local builds (an installed app's own files can be read-only). Said up front, in
 * words a user can act on, instead of a build that fails after minutes.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface PrerequisiteOptions {
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  /** node-llama-cpp's `llama` folder, where it writes the source and the local build. */
  llamaDir: string;
}

/** The first executable named `name` on the PATH, or null. */
function onPath(name: string, env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string | null {
  const dirs = (env.PATH ?? env.Path ?? '').split(platform === 'win32' ? ';' : ':').filter(Boolean);
  const names = platform === 'win32' ? [`${name}.exe`, `${name}.cmd`] : [name];
  for (const dir of dirs)
    for (const n of names) {
      const file = path.join(dir, n);
      try {
        fs.accessSync(file, fs.constants.X_OK);
        if (fs.statSync(file).isFile()) return file;
      } catch {
        /* not here */
      }
    }
  return null;
}

/** The folder nearest to `dir` that exists (the local-build folder itself is made by the first build). */
function existingAncestor(dir: string): string {
  let at = path.resolve(dir);
  while (!fs.existsSync(at) && path.dirname(at) !== at) at = path.dirname(at);
  return at;
}

/** Why a build cannot start here, one sentence each; empty when it can. */
export function buildBlockers(opts: PrerequisiteOptions): string[] {
  const env = opts.env ?? process.env;
  const platform = opts.platform ?? process.platform;
  const blockers: string[] = [];
  if (!onPath('cmake', env, platform)) blockers.push('cmake was not found on the PATH (install it, e.g. "apt install cmake", or from cmake.org)');
  // On Windows the compiler is found by cmake through Visual Studio's installer, not the PATH.
  if (platform !== 'win32') {
    const cxx = env.CXX ? (onPath(env.CXX, env, platform) ?? (fs.existsSync(env.CXX) ? env.CXX : null)) : null;
    if (!cxx && !['c++', 'g++', 'clang++'].some((c) => onPath(c, env, platform)))
      blockers.push('no C++ compiler was found (install one, e.g. "apt install g++", or "xcode-select --install" on a Mac)');
  }
  // Inside an Electron archive nothing can be written; elsewhere the folder (or the nearest one that exists) must be writable.
  if (opts.llamaDir.split(/[\\/]/).some((part) => part.endsWith('.asar')))
    blockers.push("the engine's folder is inside the installed app's archive, which cannot be written");
  else {
    try {
      fs.accessSync(existingAncestor(opts.llamaDir), fs.constants.W_OK);
    } catch {
      blockers.push(`the engine's folder ${opts.llamaDir} cannot be written (the app may be installed read-only)`);
    }
  }
  return blockers;
}
