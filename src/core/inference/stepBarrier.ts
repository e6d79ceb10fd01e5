/**
 * Keeps the generations running on the sequences of one context in step, so that each
 * step's next tokens reach llama.cpp as one batch.
 *
 * Why: node-llama-cpp dispatches a batch as soon as its loop finds any queued token. Each
 * sequence samples its token on its own native call, so the last one to be sampled misses the
 * next batch and the sequences drift into rotating batches of N−1 (measured: 248 of 261 steps
 * held 3 of 4 sequences). Worse, llama.cpp's multi-stream KV cache can only put consecutive,
 * ascending sequence ids in one micro-batch, so a batch such as [3, 0, 1] is decoded as two
 * (measured: a 3-token step cost 2× a 1-token step instead of ~1.1×). Waiting here until
 * every generation has its next token, then releasing them in ascending sequence order,
 * fixes both.
 *
 * A generation `join`s before its first step, `arrive`s before each step and `leave`s when
 * it ends (always, in a finally): the barrier opens when every joined generation has
 * arrived, so it can never wait on one that is gone.
 */
export class StepBarrier {
  private joined = 0;
  private waiting: { order: number; release: () => void }[] = [];

  get generations(): number {
    return this.joined;
  }

  join(): void {
    this.joined++;
  }

  leave(): void {
    if (this.joined === 0) throw new Error('StepBarrier.leave without join');
    this.joined--;
    this.openIfComplete();
  }

  /** Resolves when every joined generation has arrived; `order` sets the release order (the sequence id). */
  arrive(order: number): Promise<void> {
    return new Promise<void>((release) => {
      this.waiting.push({ order, release });
      this.openIfComplete();
    });
  }

  private openIfComplete(): void {
    if (this.waiting.length === 0 || this.waiting.length < this.joined) return;
    const batch = this.waiting.sort((a, b) => a.order - b.order);
    this.waiting = [];
    // Continuations run in the order their promises settle, but the last arrival has not attached
    // its `await` yet while we are still inside its arrive(): settle them all one microtask later.
    queueMicrotask(() => {
      for (const w of batch) w.release();
    });
  }
}
