import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { ensurePrivateDbFile, ensurePrivateDir, tightenDbCompanions } from './permissions';
import { MIGRATIONS, type Migration } from './migrations';

export type Db = Database.Database;

export const DB_FILE = 'library.sqlite';

export function migrate(db: Db, migrations: readonly Migration[] = MIGRATIONS): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = migrations.at(-1)?.version ?? 0;
  if (current > latest) {
    throw new Error(`database ${db.name} has schema version ${current}, newer than this build understands (${latest}); update MedTask Studio`);
  }
  for (const m of migrations) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
}

/**
 * Opens (creating if needed) the library in `home`. WAL lets the UI keep reading the last
 * committed state while an import writes on its own connection.
 */
export function openDatabase(home: string, opts: { readonly?: boolean } = {}): Db {
  const file = path.join(home, DB_FILE);
  // Owner-only (issue 12): the data directory 0700, the library and its WAL/SHM 0600.
  if (opts.readonly) fs.mkdirSync(home, { recursive: true });
  else {
    ensurePrivateDir(home);
    ensurePrivateDbFile(file);
  }
  const db = new Database(file, { readonly: opts.readonly ?? false });
  // 16 KiB pages for a new library (an existing file keeps its own; SQLite ignores this then).
  // Items hold long texts: with 4 KiB pages most rows spill into overflow chains, and a 1M-item
  // import wrote and checkpointed 4x as many pages. Measured, 1M rows: import 20.2 s -> 16.1 s,
  // system time 6.1 -> 3.9 s, library file 554 -> 509 MB.
  if (!opts.readonly) db.pragma('page_size = 16384');
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.pragma('synchronous = NORMAL');
  if (!opts.readonly) migrate(db);
  // WAL mode has created the -wal/-shm files by now; an old library may have them wider.
  if (!opts.readonly) tightenDbCompanions(file);
  return db;
}
