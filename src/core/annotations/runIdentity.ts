/**
 * A run's identity across workstations. A run's uid (runs.uid, migration 7) is local to the
 * library that made it, and the benchmarks' predictions formats (MedS-Bench CSV, MedINST32
 * JSON) have no place for it — writing one in would break the benchmarks' own scripts. What does
 * travel is the content: every task's predictions and targets in order. So a run's content uid
 * is a hash of that content; imported predictions take it as their uid (when free), and
 * annotation exports carry it beside the uid, so a colleague's annotations find the run on a
 * workstation where the same outputs came in as a predictions file — whichever side exported.
 */
import crypto from 'node:crypto';
import type { Db } from '../db/open';

/**
 * 32 hex digits (the shape of a random uid) of SHA-256 over the run's items grouped by
 * benchmark/task (groups sorted, items in run order within a group: what a predictions file
 * keeps), each as its prediction and first gold output.
 */
export function runContentUid(db: Db, runId: number): string {
  const groups = new Map<string, [string, string][]>();
  const rows = db.prepare('SELECT benchmark, task, raw_output AS o, gold_json AS g FROM run_items WHERE run_id = ? ORDER BY ord').iterate(runId) as Iterable<{
    benchmark: string;
    task: string;
    o: string | null;
    g: string;
  }>;
  for (const r of rows) {
    const key = JSON.stringify([r.benchmark, r.task]);
    let list = groups.get(key);
    if (!list) groups.set(key, (list = []));
    list.push([r.o ?? '', (JSON.parse(r.g) as string[])[0] ?? '']);
  }
  const hash = crypto.createHash('sha256');
  for (const key of [...groups.keys()].sort()) {
    hash.update(key);
    for (const pair of groups.get(key)!) hash.update(`\u0000${JSON.stringify(pair)}`);
    hash.update('\u0001');
  }
  return hash.digest('hex').slice(0, 32);
}

/** Gives a freshly imported run its content uid, unless another run of this library already has it (the same file imported twice). */
export function adoptContentUid(db: Db, runId: number): string {
  const uid = runContentUid(db, runId);
  const taken = db.prepare('SELECT id FROM runs WHERE uid = ?').pluck().get(uid) as number | undefined;
  if (taken === undefined) db.prepare('UPDATE runs SET uid = ? WHERE id = ?').run(uid, runId);
  return (db.prepare('SELECT uid FROM runs WHERE id = ?').pluck().get(runId) as string | null) ?? uid;
}

/**
 * The local run an incoming annotation names: by its uid, else by its content uid (a run here
 * with that uid, or any run whose content hashes to it). Lookups are cached for one import.
 */
export function runMatcher(db: Db): (ref: { uid: string; contentUid?: string | null | undefined }) => string | null {
  const byUid = db.prepare('SELECT uid FROM runs WHERE uid = ?').pluck();
  let contents: Map<string, string> | null = null;
  const cache = new Map<string, string | null>();
  return (ref) => {
    const k = `${ref.uid}|${ref.contentUid ?? ''}`;
    if (cache.has(k)) return cache.get(k)!;
    let found = (byUid.get(ref.uid) as string | undefined) ?? null;
    if (!found && ref.contentUid) {
      found = (byUid.get(ref.contentUid) as string | undefined) ?? null;
      if (!found) {
        contents ??= new Map(
          (db.prepare('SELECT id, uid FROM runs ORDER BY id').all() as { id: number; uid: string }[])
            .map((r) => [runContentUid(db, r.id), r.uid] as const)
            .reverse(),
        );
        found = contents.get(ref.contentUid) ?? null;
      }
    }
    cache.set(k, found);
    return found;
  };
}
