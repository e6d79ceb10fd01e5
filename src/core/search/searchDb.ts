/**
 * The item search index lives in its own SQLite file beside the library. It is written by
 * a worker thread while an import writes the library (two cores, two writers), and it is
 * contentless: the text stays in the library only; snippets are cut from there.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Db } from '../db/open';
import { ensurePrivateDbFile, ensurePrivateDir, tightenDbCompanions } from '../db/permissions';

export const SEARCH_DB_FILE = 'search.sqlite';

export const SEARCH_SCHEMA = `
  CREATE VIRTUAL TABLE IF NOT EXISTS items_fts USING fts5(
    input, output,
    content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2'
  );
  CREATE TABLE IF NOT EXISTS index_state (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    items_version INTEGER NOT NULL
  );
  INSERT OR IGNORE INTO index_state (id, items_version) VALUES (1, -1);
`;

export function searchDbPath(home: string): string {
  return path.join(home, SEARCH_DB_FILE);
}

/** Prepares a connection to the search file (creating it) with the pragmas both writers use. */
export function configureSearchDb(db: Database.Database): void {
  db.pragma('page_size = 16384'); // as the library (db/open.ts); only a new file takes it
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.exec(SEARCH_SCHEMA);
}

export function ensureSearchDb(home: string): void {
  ensurePrivateDir(home);
  ensurePrivateDbFile(searchDbPath(home));
  const db = new Database(searchDbPath(home));
  try {
    configureSearchDb(db);
  } finally {
    db.close();
  }
  tightenDbCompanions(searchDbPath(home));
}

/** Makes the index queryable from a library connection as `search.items_fts`. */
export function attachSearchDb(db: Db, home: string): void {
  ensureSearchDb(home);
  db.prepare('ATTACH DATABASE ? AS search').run(searchDbPath(home));
}

export function libraryVersion(db: Db): number {
  return (db.prepare('SELECT items_version FROM main.library_state WHERE id = 1').pluck().get() as number | undefined) ?? 0;
}

export function indexVersion(db: Db): number {
  return (db.prepare('SELECT items_version FROM search.index_state WHERE id = 1').pluck().get() as number | undefined) ?? -1;
}
