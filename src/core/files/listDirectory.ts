import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ApiError } from '../../shared/errors';
import type { DirectoryEntry, DirectoryListing } from '../../shared/files';

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

function places(home: string | undefined): { label: string; path: string }[] {
  const out = [{ label: 'Home', path: os.homedir() }];
  if (home) out.push({ label: 'App data', path: home });
  if (process.platform === 'win32') {
    for (const letter of 'CDEFGHIJ') if (existsSync(`${letter}:\\`)) out.push({ label: `${letter}:`, path: `${letter}:\\` });
  } else {
    out.push({ label: '/', path: '/' });
  }
  return out;
}

/**
 * Lists one folder. Entries that vanish or cannot be read while listing are skipped rather than
 * failing the whole listing; the folder itself not existing or not being readable is an error
 * that names it.
 */
export async function listDirectory(options: ListDirectoryOptions): Promise<DirectoryListing> {
  let target = path.resolve(expandHome(options.path?.trim() || os.homedir()));
  let stat;
  try {
    stat = await fs.stat(target);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new ApiError('not_found', `${target}: no such folder`, { field: 'path' });
    if (code === 'EACCES' || code === 'EPERM') throw new ApiError('invalid_input', `${target}: permission denied`, { field: 'path' });
    throw err;
  }
  if (!stat.isDirectory()) target = path.dirname(target);

  let dirents;
  try {
    dirents = await fs.readdir(target, { withFileTypes: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM') throw new ApiError('invalid_input', `${target}: permission denied`, { field: 'path' });
    throw err;
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
  return { path: target, parent: parent === target ? null : parent, entries: shown, hiddenByFilter, places: places(options.home), truncated };
}
