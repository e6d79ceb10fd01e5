/**
 * Writes the item search index on a worker thread, in a transaction of its own that the
 * import commits just before the library's. Batches are acknowledged so that at most a
 * few megabytes of text wait in between: memory stays flat however large the import.
 *
 * The worker's code is a string evaluated by `new Worker(…, { eval: true })`: it then runs
 * the same way under Electron, the bundled CLI and the test runner, with no extra build
 * entry to keep in step.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { searchDbPath, SEARCH_SCHEMA } from './searchDb';

const WORKER_SOURCE = String.raw`
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.sqlitePath);
const db = new Database(workerData.file);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.pragma('busy_timeout = 5000');
db.pragma('cache_size = ' + workerData.cacheKib);
db.exec(workerData.schema);
const add = db.prepare('INSERT INTO items_fts (rowid, input, output) VALUES (?, ?, ?)');
const dropRange = db.prepare('DELETE FROM items_fts WHERE rowid BETWEEN ? AND ?');
const setVersion = db.prepare('UPDATE index_state SET items_version = ? WHERE id = 1');
// FTS5 rejects a bound value in its config commands: the literal is inlined.
const config = (key, n) => db.exec("INSERT INTO items_fts (items_fts, rank) VALUES ('" + key + "', " + Number(n) + ")");
const automerge = (n) => config('automerge', n);
parentPort.on('message', (m) => {
  try {
    switch (m.op) {
      case 'begin':
        automerge(0);
        config('hashsize', workerData.hashBytes);
        db.exec('BEGIN IMMEDIATE');
        if (m.clear) db.exec("DELETE FROM items_fts");
        break;
      case 'rows': {
        // One transferred buffer of UTF-8 text; each value is bound as a view of it (a BLOB,
        // which FTS5 reads as the same UTF-8 text), so this thread neither copies nor encodes strings.
        const ids = m.ids, ends = m.ends, bytes = Buffer.from(m.bytes, 0, m.length);
        let at = 0;
        for (let i = 0; i < ids.length; i++) {
          const mid = ends[2 * i], end = ends[2 * i + 1];
          add.run(ids[i], bytes.subarray(at, mid), bytes.subarray(mid, end));
          at = end;
        }
        break;
      }
      case 'drop':
        dropRange.run(m.min, m.max);
        break;
      case 'commit':
        setVersion.run(m.version);
        // Automerge was off for the bulk load; one bounded merge keeps queries quick.
        db.prepare("INSERT INTO items_fts (items_fts, rank) VALUES ('merge', 500)").run();
        automerge(4);
        db.exec('COMMIT');
        break;
      case 'rollback':
        if (db.inTransaction) db.exec('ROLLBACK');
        automerge(4);
        break;
    }
    parentPort.postMessage({ seq: m.seq, ok: true });
  } catch (err) {
    parentPort.postMessage({ seq: m.seq, ok: false, message: m.op + ': ' + String(err && err.message || err) });
  }
});
`;

/**
 * FTS5 buffers new postings in a hash table and writes a segment each time it outgrows
 * `hashsize` (1 MiB by default). At 4 MiB each term's postings are written in a quarter as many
 * pieces: inserting 1M items' text took 11.9 s instead of 15.4–17.3 s (measured alone on this
 * 2-core machine); 8–16 MiB gained little more and cost 20–50 MB of peak RSS.
 */
const FTS_HASH_BYTES = 4 * 1024 * 1024;
/** The index is appended to, not searched, during a load: a small page cache does (16 MiB before). */
const FTS_CACHE_KIB = 8 * 1024;
const BATCH_ROWS = 2000;
/** About a megabyte of text per batch, as before (1,000,000 characters). */
const BATCH_BYTES = 1 << 20;
const MAX_IN_FLIGHT = 2;

type Pending = { resolve: () => void; reject: (e: Error) => void };

export class FtsWriter {
  private readonly worker: Worker;
  private seq = 0;
  private readonly pending = new Map<number, Pending>();
  private inFlight = 0;
  private waiters: (() => void)[] = [];
  private failure: Error | null = null;
  private ids: number[] = [];
  /** The batch's text, input then output of each row, UTF-8 (handed over to the worker, not copied). */
  private bytes = Buffer.allocUnsafe(BATCH_BYTES + BATCH_BYTES / 4);
  private length = 0;
  /** Where each row's input and output end in `bytes`. */
  private ends: number[] = [];

  constructor(home: string) {
    const require = createRequire(import.meta.url);
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        file: searchDbPath(home),
        sqlitePath: require.resolve('better-sqlite3'),
        schema: SEARCH_SCHEMA,
        hashBytes: FTS_HASH_BYTES,
        cacheKib: -FTS_CACHE_KIB,
      },
    });
    this.worker.on('message', (m: { seq: number; ok: boolean; message?: string }) => {
      const p = this.pending.get(m.seq);
      this.pending.delete(m.seq);
      this.inFlight--;
      this.waiters.shift()?.();
      if (m.ok) p?.resolve();
      else {
        this.failure ??= new Error(`search index: ${m.message}`);
        p?.reject(this.failure);
      }
    });
    this.worker.on('error', (err) => {
      this.failure ??= err;
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    });
  }

  private send(message: Record<string, unknown>, transfer: ArrayBuffer[] = []): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    const seq = ++this.seq;
    this.inFlight++;
    const done = new Promise<void>((resolve, reject) => this.pending.set(seq, { resolve, reject }));
    // A rejection is reported by whichever await sees it first; never leave one unhandled.
    done.catch(() => undefined);
    this.worker.postMessage({ ...message, seq }, transfer);
    return done;
  }

  /** Waits while the worker is MAX_IN_FLIGHT batches behind. */
  private async throttle(): Promise<void> {
    while (this.inFlight >= MAX_IN_FLIGHT && !this.failure) await new Promise<void>((r) => this.waiters.push(r));
    if (this.failure) throw this.failure;
  }

  async begin(opts: { clear?: boolean } = {}): Promise<void> {
    await this.send({ op: 'begin', clear: opts.clear ?? false });
  }

  async add(rowid: number, input: string, output: string): Promise<void> {
    this.ids.push(rowid);
    this.put(input);
    this.put(output);
    if (this.ids.length >= BATCH_ROWS || this.length >= BATCH_BYTES) await this.flush();
  }

  /** Appends one text as UTF-8 (at most 3 bytes per UTF-16 unit), growing the buffer for a long one. */
  private put(text: string): void {
    const need = this.length + text.length * 3;
    if (need > this.bytes.length) {
      const bigger = Buffer.allocUnsafe(Math.max(need, this.bytes.length * 2));
      this.bytes.copy(bigger, 0, 0, this.length);
      this.bytes = bigger;
    }
    this.length += this.bytes.write(text, this.length);
    this.ends.push(this.length);
  }

  async flush(): Promise<void> {
    if (this.ids.length === 0) return;
    await this.throttle();
    const { buffer, byteOffset } = this.bytes;
    // A buffer of its own (allocUnsafe may hand out a slice of a shared pool) is moved, not copied.
    const own = byteOffset === 0 && buffer.byteLength === this.bytes.length;
    const bytes = own ? buffer : this.bytes.buffer.slice(byteOffset, byteOffset + this.length);
    void this.send({ op: 'rows', ids: this.ids, ends: this.ends, bytes, length: this.length }, own ? [bytes as ArrayBuffer] : []);
    this.ids = [];
    this.ends = [];
    if (own) this.bytes = Buffer.allocUnsafe(this.bytes.length);
    this.length = 0;
  }

  async dropRange(min: number, max: number): Promise<void> {
    await this.flush();
    await this.throttle();
    void this.send({ op: 'drop', min, max });
  }

  /** Commits the index at `version`; resolves once it is durable. */
  async commit(version: number): Promise<void> {
    await this.flush();
    await this.send({ op: 'commit', version });
  }

  async rollback(): Promise<void> {
    this.ids = [];
    this.ends = [];
    this.length = 0;
    try {
      await this.send({ op: 'rollback' });
    } catch {
      // The worker failed: its transaction died with it.
    }
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}
