/**
 * Permission bits of the data directory and its databases (issue 12, item 8), on real files:
 * a new data directory is 0700 and library.sqlite / search.sqlite with their WAL/SHM are 0600;
 * a library found with wider bits is tightened when the core opens it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/core/db/open';
import { MedtaskCore } from '../../src/core/service';
import { tempDir } from '../helpers';

const posix = process.platform !== 'win32';
const mode = (p: string) => fs.statSync(p).mode & 0o777;
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function dataFiles(home: string): string[] {
  return fs
    .readdirSync(home)
    .filter((f) => /\.sqlite(-wal|-shm|-journal)?$/.test(f))
    .map((f) => path.join(home, f));
}

describe.runIf(posix)('data file permissions', () => {
  it('creates the data directory 0700 and every database file 0600, whatever the umask', async () => {
    const parent = tempDir('medtask-perm-');
    dirs.push(parent);
    const home = path.join(parent, 'nested', 'home');
    const old = process.umask(0o000); // the widest umask: nothing may rely on it
    let core: MedtaskCore;
    try {
      core = new MedtaskCore({ home });
      await core.handlers.search({ query: 'anything', limit: 5, offset: 0 });
    } finally {
      process.umask(old);
    }
    expect(mode(home)).toBe(0o700);
    const files = dataFiles(home);
    // library and search, each with its WAL and shared-memory file while open.
    expect(files.map((f) => path.basename(f)).sort()).toEqual([
      'library.sqlite',
      'library.sqlite-shm',
      'library.sqlite-wal',
      'search.sqlite',
      'search.sqlite-shm',
      'search.sqlite-wal',
    ]);
    for (const f of files) expect([path.basename(f), mode(f)]).toEqual([path.basename(f), 0o600]);
    core!.close();
    console.log(`permissions: data dir ${mode(home).toString(8)}, ${files.length} database files checked at 0600`);
  });

  it('tightens a library left with wider bits when it is opened again', () => {
    const home = tempDir('medtask-perm-');
    dirs.push(home);
    openDatabase(home).close();
    fs.chmodSync(home, 0o755);
    const lib = path.join(home, 'library.sqlite');
    fs.chmodSync(lib, 0o666);
    const core = new MedtaskCore({ home });
    try {
      expect(mode(home)).toBe(0o700);
      for (const f of dataFiles(home)) expect([path.basename(f), mode(f)]).toEqual([path.basename(f), 0o600]);
    } finally {
      core.close();
    }
  });
});
