import Database from 'better-sqlite3';
import { DB_FILE } from '../db/open';
import { FtsWriter } from './ftsWriter';
import { ensureSearchDb } from './searchDb';
import path from 'node:path';

/**
 * Rebuilds the item search index from the library: after a crash between the index's and
 * the library's commits, after the index file was deleted, or on demand (`medtask reindex`).
 */
export async function rebuildSearchIndex(home: string, onProgress?: (done: number, total: number) => void): Promise<number> {
  ensureSearchDb(home);
  const db = new Database(path.join(home, DB_FILE), { readonly: true });
  const fts = new FtsWriter(home);
  try {
    const version = db.prepare('SELECT items_version FROM library_state WHERE id = 1').pluck().get() as number;
    const total = db.prepare('SELECT count(*) FROM items').pluck().get() as number;
    await fts.begin({ clear: true });
    let done = 0;
    for (const row of db.prepare('SELECT id, input, output FROM items ORDER BY id').iterate() as IterableIterator<{
      id: number;
      input: string;
      output: string;
    }>) {
      await fts.add(row.id, row.input, row.output);
      if (++done % 50_000 === 0) onProgress?.(done, total);
    }
    await fts.commit(version);
    onProgress?.(done, total);
    return done;
  } catch (err) {
    await fts.rollback();
    throw err;
  } finally {
    await fts.close();
    db.close();
  }
}
