/**
 * Hands out a context's sequences one request at a time; waiters are served first-in first-out.
 * With an `order`, the free item with the lowest order goes first.
 */
export class SequencePool<T> {
  private readonly free: T[];
  private readonly waiters: { resolve: (item: T) => void; reject: (err: unknown) => void; signal?: AbortSignal; onAbort?: () => void }[] = [];
  private closed = false;
  readonly size: number;

  private readonly order: ((item: T) => number) | undefined;

  constructor(items: T[], order?: (item: T) => number) {
    this.order = order;
    // Kept so that pop() gives the next item: highest order first in the array.
    this.free = order ? [...items].sort((a, b) => order(b) - order(a)) : [...items];
    this.size = items.length;
  }

  get idle(): boolean {
    return this.free.length === this.size && this.waiters.length === 0;
  }

  acquire(signal?: AbortSignal): Promise<T> {
    if (this.closed) return Promise.reject(new Error('sequence pool is closed'));
    if (signal?.aborted) return Promise.reject(signal.reason);
    const item = this.free.pop();
    if (item !== undefined) return Promise.resolve(item);
    return new Promise<T>((resolve, reject) => {
      const waiter: (typeof this.waiters)[number] = { resolve, reject };
      if (signal) {
        waiter.signal = signal;
        waiter.onAbort = () => {
          const i = this.waiters.indexOf(waiter);
          if (i >= 0) this.waiters.splice(i, 1);
          reject(signal.reason);
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      this.waiters.push(waiter);
    });
  }

  release(item: T): void {
    const waiter = this.waiters.shift();
    if (waiter) {
      if (waiter.signal && waiter.onAbort) waiter.signal.removeEventListener('abort', waiter.onAbort);
      waiter.resolve(item);
      return;
    }
    const order = this.order;
    if (!order) {
      this.free.push(item);
      return;
    }
    const at = this.free.findIndex((f) => order(f) < order(item));
    this.free.splice(at < 0 ? this.free.length : at, 0, item);
  }

  close(): void {
    this.closed = true;
    for (const w of this.waiters.splice(0)) {
      if (w.signal && w.onAbort) w.signal.removeEventListener('abort', w.onAbort);
      w.reject(new Error('sequence pool is closed'));
    }
  }
}
