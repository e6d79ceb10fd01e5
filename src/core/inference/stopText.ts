/**
 * The response text of one generation as its tokens arrive: cut before the first stop string
 * (which is never part of the response), and streamed only as far as it can no longer turn
 * into the start of a stop string.
 */
export class StopText {
  private text = '';
  private streamed = 0;
  private stopped = false;
  private readonly stops: readonly string[];
  private readonly longestStop: number;

  constructor(stops: readonly string[]) {
    this.stops = stops.filter((s) => s.length > 0);
    this.longestStop = this.stops.reduce((m, s) => Math.max(m, s.length), 0);
  }

  /** The response so far (the whole response once a stop string appeared). */
  get value(): string {
    return this.text;
  }

  get hasStopped(): boolean {
    return this.stopped;
  }

  /** Appends the text of the next token(s); true when a stop string has now appeared. */
  push(piece: string): boolean {
    if (this.stopped) return true;
    // A stop string may straddle the previous text and this piece.
    const from = Math.max(0, this.text.length - this.longestStop + 1);
    this.text += piece;
    let cut = -1;
    for (const stop of this.stops) {
      const at = this.text.indexOf(stop, from);
      if (at >= 0 && (cut < 0 || at < cut)) cut = at;
    }
    if (cut >= 0) {
      this.text = this.text.slice(0, cut);
      this.stopped = true;
    }
    return this.stopped;
  }

  /** Replaces the text (stop strings applied again); what was streamed beyond it is not taken back. */
  reset(value: string): void {
    this.text = '';
    this.stopped = false;
    this.push(value);
    this.streamed = Math.min(this.streamed, this.text.length);
  }

  /** The text not yet streamed that is safe to show; with `final`, everything left. */
  take(final = false): string {
    let end = this.text.length;
    if (!final && !this.stopped) {
      for (const stop of this.stops) {
        for (let k = Math.min(stop.length - 1, this.text.length); k > 0; k--) {
          if (this.text.endsWith(stop.slice(0, k))) {
            end = Math.min(end, this.text.length - k);
            break;
          }
        }
      }
    }
    if (end <= this.streamed) return '';
    const chunk = this.text.slice(this.streamed, end);
    this.streamed = end;
    return chunk;
  }
}
