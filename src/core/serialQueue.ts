/**
 * Owns the one way core runs jobs one at a time, in the order they were asked for (imports
 * and index rebuilds, benchmark runs, model library writes): a job starts when the one before
 * it has settled, whether it succeeded or failed, and a failure reaches only its own caller.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(job: () => Promise<T>): Promise<T> {
    const result = this.tail.then(job, job);
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** Resolves when every job queued so far has settled. */
  idle(): Promise<void> {
    return this.tail.then(() => undefined);
  }
}
