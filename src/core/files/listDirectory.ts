import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { DirectoryEntry, DirectoryListing } from '../../shared/files';
import type { FileAccess } from './access';
import { BadInputError, DomainError, NotFoundError } from '../errors';

export interface ListDirectoryOptions {
  /** Folder to list; a file lists its folder. Default: the home folder. */
  path?: string;
  /** Keep only files with these extensions (lower-case, without the dot); folders always stay. */
  extensions?: readonly string[];
  /** Also list names starting with a dot. */
  showHidden?: boolean;
  limit: number;
  /** The app's data folder, offered as a place. */
  home?: string;
  env?: NodeJS.ProcessEnv;
  /**
   * The host's file-access policy. Confined, only allowed folders are listed (hidden ones only
   * with showHidden), links that lead out are left out, and the places are the allowed roots.
   */
  access?: FileAccess;
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

function expandHome(p: string): string {
  return p === '~' || p.startsWith(`~${path.sep}`) || p.startsWith('~/') ? path.join(os.homedir(), p.slice(1)) : p;
}

function extensionOf(name: string): string {
  // `.tar.gz`-style names match on their last part; split GGUFs end in `.gguf` anyway.
  const dot = name.lastIndexOf('.');
  return dot <= 0 ? '' : name.slice(dot + 1).toLowerCase();
}

/** Found once per process: probing drives is synchronous and a disconnected network drive can be slow. */
let roots: { label: string; path: string }[] | null = null;

function fileSystemRoots(): { label: string; path: string }[] {
  if (roots) return roots;
  if (process.platform !== 'win32') return (roots = [{ label: '/', path: '/' }]);
  roots = [];
  for (const letter of 'CDEFGHIJKLMNOPQRSTUVWXYZ') if (existsSync(`${letter}:\\`)) roots.push({ label: `${letter}:`, path: `${letter}:\\` });
  return roots;
}

/**
 * Where people keep models and datasets, offered when they exist: the app's own downloads, the
 * Hugging Face cache (models and datasets fetched with its tools; HF_HOME moves it) and LM Studio's
 * models folder. The last two are hidden folders a listing would not show.
 */
function knownPlaces(home: string | undefined, env: NodeJS.ProcessEnv): { label: string; path: string }[] {
  const user = os.homedir();
  const candidates = [
    ...(home ? [{ label: 'Downloaded models', path: path.join(home, 'models') }] : []),
    { label: 'Hugging Face cache', path: env.HF_HOME ? path.resolve(env.HF_HOME) : path.join(user, '.cache', 'huggingface') },
    { label: 'LM Studio models', path: path.join(user, '.lmstudio', 'models') },
    { label: 'LM Studio models', path: path.join(user, '.cache', 'lm-studio', 'models') },
  ];
  return candidates.filter((c, i) => existsSync(c.path) && candidates.findIndex((d) => d.label === c.label && existsSync(d.path)) === i);
}

function places(home: string | undefined, env: NodeJS.ProcessEnv): { label: string; path: string }[] {
  return [{ label: 'Home', path: os.homedir() }, ...(home ? [{ label: 'App data', path: home }] : []), ...knownPlaces(home, env), ...fileSystemRoots()];
}

/** Confined: the allowed roots, then the model folders among the known places that may be read. */
function confinedPlaces(access: FileAccess, env: NodeJS.ProcessEnv): { label: string; path: string }[] {
  const roots = [
    { label: 'Home', path: access.userHome },
    { label: 'App data', path: access.home },
    ...access.allowDirs.map((d) => ({ label: `Allowed: ${path.basename(d) || d}`, path: d })),
  ];
  const known = knownPlaces(access.home, env).filter((p) => access.canRead(p.path) && !roots.some((r) => r.path === p.path));
  return [...roots.filter((r, i) => roots.findIndex((o) => o.path === r.path) === i), ...known];
}

/** Every failure to read the folder as an error that names it. */
function folderError(target: string, err: unknown): DomainError {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return new NotFoundError(`${target}: no such folder`, { field: 'path' });
  if (code === 'EACCES' || code === 'EPERM') return new BadInputError(`${target}: permission denied`, { field: 'path' });
  const why = code === 'ELOOP' ? 'too many levels of links' : code === 'ENAMETOOLONG' ? 'the path is too long' : (err as Error).message;
  return new BadInputError(`${target}: cannot be listed (${why})`, { field: 'path' });
}

/**
 * Lists one folder. Entries that vanish or cannot be read while listing are skipped rather than
 * failing the whole listing; the folder itself not existing or not being readable is an error
 * that names it.
 */
export async function listDirectory(options: ListDirectoryOptions): Promise<DirectoryListing> {
  const access = options.access?.confine ? options.access : undefined;
  const hidden = { hidden: options.showHidden ?? false, field: 'path' };
  let target = access ? access.resolveRead(options.path?.trim() || access.userHome) : path.resolve(expandHome(options.path?.trim() || os.homedir()));
  if (access) access.checkRead(target, 'folder', hidden);
  let stat;
  try {
    stat = await fs.stat(target);
  } catch (err) {
    throw folderError(target, err);
  }
  if (!stat.isDirectory()) {
    target = path.dirname(target);
    if (access) access.checkRead(target, 'folder', hidden);
  }

  let dirents;
  try {
    dirents = await fs.readdir(target, { withFileTypes: true });
  } catch (err) {
    throw folderError(target, err);
  }

  const wanted = options.extensions?.length ? new Set(options.extensions.map((e) => e.replace(/^\./, '').toLowerCase())) : null;
  let hiddenByFilter = 0;
  const entries: DirectoryEntry[] = [];
  for (const d of dirents) {
    if (!options.showHidden && d.name.startsWith('.')) continue;
    const full = path.join(target, d.name);
    let isDir = d.isDirectory();
    let isFile = d.isFile();
    // Links are followed so that a linked models folder browses like a real one.
    if (d.isSymbolicLink()) {
      try {
        const s = await fs.stat(full);
        isDir = s.isDirectory();
        isFile = s.isFile();
      } catch {
        continue; // a dangling link
      }
    }
    if (!isDir && !isFile) continue; // sockets, devices, pipes
    if (access && d.isSymbolicLink() && !access.canRead(full, hidden)) continue; // a link out of the allowed folders
    if (isFile && wanted && !wanted.has(extensionOf(d.name))) {
      hiddenByFilter++;
      continue;
    }
    entries.push({ name: d.name, path: full, kind: isDir ? 'dir' : 'file' });
  }
  entries.sort((a, b) => (a.kind === b.kind ? collator.compare(a.name, b.name) : a.kind === 'dir' ? -1 : 1));
  const truncated = entries.length > options.limit;
  const shown = truncated ? entries.slice(0, options.limit) : entries;
  // Sizes and times only for what is returned: a folder of 100k files costs one stat per shown entry.
  await Promise.all(
    shown.map(async (e) => {
      try {
        const s = await fs.stat(e.path);
        e.modified = s.mtime.toISOString();
        if (e.kind === 'file') e.size = s.size;
      } catch {
        // Gone since readdir: keep the name, without figures.
      }
    }),
  );
  const parent = path.dirname(target);
  const up = parent === target || (access && !access.canRead(parent, hidden)) ? null : parent;
  return {
    path: target,
    parent: up,
    entries: shown,
    hiddenByFilter,
    places: access ? confinedPlaces(access, options.env ?? process.env) : places(options.home, options.env ?? process.env),
    truncated,
  };
}
