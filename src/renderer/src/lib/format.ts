/** How numbers, sizes and durations read everywhere in the UI, so one quantity never reads two ways. */
const numberFormat = new Intl.NumberFormat('en-US');

export function formatCount(n: number): string {
  return numberFormat.format(n);
}

// Byte counts read the same in the app as in the CLI (one function in shared).
export { formatBytes } from '../../../shared/format';

/** A byte count in megabytes (the unit is the caller's), for a running "read / total MB" line whose unit must not jump. */
export function formatMegabytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return mb >= 100 ? mb.toFixed(0) : mb >= 10 ? mb.toFixed(1) : mb.toFixed(2);
}

export function formatDuration(sec: number): string {
  if (!Number.isFinite(sec)) return '—';
  if (sec < 10) return `${sec.toFixed(1)} s`;
  const s = Math.round(sec);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}
