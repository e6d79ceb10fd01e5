import type { ImportProgress } from '../../../../shared/domain';

/** Totals over every file of an import at one moment. */
export interface ProgressSample {
  /** Milliseconds (performance.now()). */
  t: number;
  rows: number;
  bytes: number;
}

export interface ProgressStats {
  rows: number;
  bytesRead: number;
  totalBytes: number;
  filesDone: number;
  /** Rows per second, or null until two samples far enough apart exist. */
  rowsPerSec: number | null;
  /** Seconds left for the bytes of the files seen so far, or null when unknown. */
  etaSec: number | null;
  elapsedSec: number | null;
}

/** The rate is measured over roughly this much recent time, so it follows speed changes. */
export const RATE_WINDOW_MS = 3_000;
/** Shorter spans than this give jumpy rates; below it the whole run is used. */
const MIN_SPAN_MS = 250;

export function totals(files: readonly ImportProgress[]): Pick<ProgressStats, 'rows' | 'bytesRead' | 'totalBytes' | 'filesDone'> {
  let rows = 0;
  let bytesRead = 0;
  let totalBytes = 0;
  let filesDone = 0;
  for (const f of files) {
    rows += f.rows;
    bytesRead += f.bytesRead;
    totalBytes += f.totalBytes;
    if (f.done) filesDone += 1;
  }
  return { rows, bytesRead, totalBytes, filesDone };
}

/** Keeps the samples of the last window (and the one just before it, to span the window). */
export function addSample(samples: readonly ProgressSample[], next: ProgressSample): ProgressSample[] {
  const kept = [...samples, next];
  let start = 0;
  while (start < kept.length - 2 && next.t - kept[start + 1]!.t >= RATE_WINDOW_MS) start += 1;
  return kept.slice(start);
}

export function progressStats(
  files: readonly ImportProgress[],
  samples: readonly ProgressSample[],
  startedAt: number | null,
  endedAt: number | null,
): ProgressStats {
  const sum = totals(files);
  const last = samples.at(-1);
  let rowsPerSec: number | null = null;
  let bytesPerSec: number | null = null;
  if (last) {
    let first = samples[0]!;
    // Too short a window (a burst of events): measure from the start instead.
    if (last.t - first.t < MIN_SPAN_MS && startedAt !== null) first = { t: startedAt, rows: 0, bytes: 0 };
    const span = (last.t - first.t) / 1000;
    if (span * 1000 >= MIN_SPAN_MS || (endedAt !== null && span > 0)) {
      rowsPerSec = (last.rows - first.rows) / span;
      bytesPerSec = (last.bytes - first.bytes) / span;
    }
  }
  const done = endedAt !== null;
  if (done && startedAt !== null && endedAt > startedAt) {
    // Finished: report the average over the whole run.
    const span = (endedAt - startedAt) / 1000;
    rowsPerSec = sum.rows / span;
    bytesPerSec = sum.bytesRead / span;
  }
  const remaining = Math.max(0, sum.totalBytes - sum.bytesRead);
  let etaSec: number | null = null;
  if (!done && sum.totalBytes > 0) {
    if (remaining === 0) etaSec = 0;
    else if (bytesPerSec !== null && bytesPerSec > 0) etaSec = remaining / bytesPerSec;
  }
  const elapsedSec = startedAt === null ? null : ((endedAt ?? last?.t ?? startedAt) - startedAt) / 1000;
  return { ...sum, rowsPerSec, etaSec, elapsedSec };
}

export function formatRate(rowsPerSec: number): string {
  const n = rowsPerSec >= 100 ? Math.round(rowsPerSec) : Math.round(rowsPerSec * 10) / 10;
  return `${new Intl.NumberFormat('en-US').format(n)} rows/s`;
}
