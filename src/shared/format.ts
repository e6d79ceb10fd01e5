/**
 * Owns how a byte count reads, for every host and the renderer (the CLI's model table, the
 * engine's fit messages, the app's sizes): one quantity never reads two ways.
 */

/** 512 B, 1.5 KB, 25.3 MB, 120 GB: one decimal below 100, binary units. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v >= 100 ? v.toFixed(0) : v.toFixed(1)} ${units[i]}`;
}
