/**
 * Owner-only permissions for the data directory and its databases: on a shared workstation the
 * library holds benchmark items and run outputs that other local users must not read. New
 * files are created private; files and folders found wider are tightened when opened.
 */
import fs from 'node:fs';

/** On Windows modes are not POSIX permissions; ACLs of the user's profile folder apply. */
const POSIX = process.platform !== 'win32';

/** Removes group and other bits from an existing path we own (a path someone else owns is left alone). */
export function tighten(p: string): void {
  if (!POSIX) return;
  let st: fs.Stats;
  try {
    st = fs.statSync(p);
  } catch {
    return;
  }
  if (typeof process.getuid === 'function' && st.uid !== process.getuid()) return;
  if ((st.mode & 0o077) !== 0) fs.chmodSync(p, st.mode & 0o700);
}

/** Creates `dir` (and missing parents) 0700, and tightens it if it already existed wider. */
export function ensurePrivateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  tighten(dir);
}

/**
 * Creates `file` empty with mode 0600 if missing (so SQLite opens a private file: it gives its
 * -wal and -shm files the database file's mode), else tightens it; and tightens the
 * WAL/SHM/journal companions when present.
 */
export function ensurePrivateDbFile(file: string): void {
  if (POSIX) {
    try {
      fs.closeSync(fs.openSync(file, fs.constants.O_CREAT | fs.constants.O_WRONLY | fs.constants.O_APPEND, 0o600));
    } catch {
      // Read-only folder or the like: SQLite reports it when it opens the file.
    }
  }
  tightenDbCompanions(file);
}

export function tightenDbCompanions(file: string): void {
  for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) tighten(f);
}
