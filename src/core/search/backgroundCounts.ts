/**
 * The exact counts a broad search hands over (`searchFacets`), counted on a worker thread with a
 * read-only connection of its own: one count at a time, identical requests share it, and a count
 * for a query nobody is looking at any more is stopped.
 *
 * Why a worker, and one pass: at 10M items an exact count of a common word reads millions of
 * rowids. Done on the engine's thread it held the whole engine (the web host's every request, the
 * next search) for that long. Walking it in slices on that thread instead does not work either:
 * FTS5 does not seek to `rowid > N` in a large doclist but steps to it (measured at 10M items:
 * a 4,096-match slice of "patients" costs 9 ms from the start and 186 ms from rowid 9M), so a sliced
 * walk is quadratic: 13 s p50 / 122 s p95 for the bench's capped queries, against 0.65 s for one
 * `group_concat` pass over all 5.09M matches of "patients" (0.47 s for the phrase "the of").
 * Nothing blocks while the worker counts; a stale count is rejected at once and its worker ended.
 *
 * The worker's code is a string evaluated by `new Worker(…, { eval: true })`, as the index writer's
 * (ftsWriter.ts): it runs the same under Electron, the bundled CLI and the test runner.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { CallArgs } from '../../shared/contract';
import type { SearchFacetsResult } from '../../shared/domain';
import type { Db } from '../db/open';
import { BadInputError, CancelledError, DomainError } from '../errors';
import type { SplitRow } from './matchWalk';
import { candidateSplits, facetsOf, toFtsQuery } from './query';
import { searchDbPath } from './searchDb';

const WORKER_SOURCE = String.raw`
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.sqlitePath);
const db = new Database(workerData.file, { readonly: true, fileMustExist: true });
db.pragma('busy_timeout = 5000');
// Rowids arrive ascending: one string of them, read by a digit loop, costs far less than a JS value per match.
const all = db.prepare("SELECT group_concat(rowid, ',') FROM items_fts WHERE items_fts MATCH ?").pluck();
parentPort.on('message', (m) => {
  try {
    if (m.holdMs) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, m.holdMs);
    const text = all.get(m.match);
    const mins = m.mins, maxs = m.maxs, counts = new Array(mins.length).fill(0);
    let k = 0, total = 0;
    const take = (id) => {
      while (k < mins.length && maxs[k] < id) k++;
      if (k < mins.length && id >= mins[k]) { counts[k]++; total++; }
    };
    if (text) {
      let id = 0;
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c === 44) { take(id); id = 0; } else id = id * 10 + (c - 48);
      }
      take(id);
    }
    parentPort.postMessage({ seq: m.seq, ok: true, counts, total });
  } catch (err) {
    parentPort.postMessage({ seq: m.seq, ok: false, message: String((err && err.message) || err) });
  }
});
`;

type Args = CallArgs<'searchFacets'>;

interface Job {
  seq: number;
  key: string;
  query: string;
  splits: SplitRow[];
  result: Promise<SearchFacetsResult>;
  resolve: (r: SearchFacetsResult) => void;
  reject: (e: Error) => void;
}

/** What identifies one count: the query and its filters (the same search asked twice shares one count). */
function keyOf(args: Args): string {
  return JSON.stringify([args.query.trim(), args.benchmark, args.category, args.taskId, args.split, args.config, args.language]);
}

export class BackgroundCounts {
  private worker: Worker | null = null;
  private current: Job | null = null;
  private seq = 0;
  private closed = false;

  /** `holdMs` is for tests: the worker waits that long before counting, as a large library's count takes. */
  constructor(
    private readonly db: Db,
    private readonly home: string,
    private readonly holdMs = 0,
  ) {}

  /** The exact total and facets; a count or a search for another query, or `stopAll`, stops this one (CancelledError). */
  count(args: Args): Promise<SearchFacetsResult> {
    if (this.closed) return Promise.reject(new CancelledError('Counting stopped: the library is closing.'));
    const key = keyOf(args);
    if (this.current?.key === key) return this.current.result;
    this.stop('a newer search is being counted');
    let match: string;
    let splits: SplitRow[];
    try {
      match = toFtsQuery(args.query);
      splits = candidateSplits(this.db, args);
    } catch (err) {
      return Promise.reject(err instanceof DomainError ? err : new BadInputError(`searchFacets: ${String(err)}`, { field: 'query' }));
    }
    let resolve!: Job['resolve'];
    let reject!: Job['reject'];
    const result = new Promise<SearchFacetsResult>((res, rej) => ((resolve = res), (reject = rej)));
    const job: Job = { seq: ++this.seq, key, query: args.query.trim(), splits, result, resolve, reject };
    this.current = job;
    this.workerFor().postMessage({ seq: job.seq, match, mins: splits.map((s) => s.min), maxs: splits.map((s) => s.max), holdMs: this.holdMs });
    return result;
  }

  /** A search for another query: the user has moved on, so a count of the old one is stopped. */
  searched(query: string): void {
    if (this.current && this.current.query !== query.trim()) this.stop('the search changed');
  }

  stopAll(): void {
    this.closed = true;
    this.stop('the library is closing');
    // An idle worker still holds its read-only connection to the search file: end it with the library.
    void this.worker?.terminate();
    this.worker = null;
  }

  private stop(why: string): void {
    const job = this.current;
    if (!job) return;
    this.current = null;
    job.reject(new CancelledError(`Counting "${job.query}" stopped: ${why}.`));
    // The worker is still inside the stale count: end it (it stops when SQLite returns) and count on a fresh one.
    void this.worker?.terminate();
    this.worker = null;
  }

  private workerFor(): Worker {
    if (this.worker) return this.worker;
    const require = createRequire(import.meta.url);
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file: searchDbPath(this.home), sqlitePath: require.resolve('better-sqlite3') } });
    // A count never keeps a CLI command or a test runner alive.
    worker.unref();
    worker.on('message', (m: { seq: number; ok: boolean; counts?: number[]; total?: number; message?: string }) => {
      const job = this.current;
      if (!job || job.seq !== m.seq) return;
      this.current = null;
      if (m.ok) job.resolve({ total: m.total!, exact: true, facets: facetsOf(job.splits, m.counts!, Infinity) });
      else job.reject(new BadInputError(`searchFacets: ${m.message}`, { field: 'query' }));
    });
    const fail = (err: Error): void => {
      if (this.worker !== worker) return;
      this.worker = null;
      const job = this.current;
      this.current = null;
      job?.reject(err);
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the search counting thread exited (${code})`)));
    this.worker = worker;
    return worker;
  }
}
