import cliProgress from 'cli-progress';
import type { ImportProgress } from '../shared/domain';
import type { PullProgress } from '../shared/models';

function mb(bytes: number): string {
  return (bytes / 1e6).toFixed(1);
}

/** A terminal progress bar per import (bytes-based, with rows and rate); silent when stderr is not a TTY. */
export function importProgressBar(enabled: boolean): { update(p: ImportProgress): void; stop(): void } {
  if (!enabled || !process.stderr.isTTY) return { update() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: '{file} |{bar}| {percentage}% {value}/{total} MB  {rows} rows  {rate} rows/s  ETA {eta_formatted}',
      hideCursor: true,
      clearOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  let file = '';
  let t0 = Date.now();
  return {
    update(p) {
      if (!started || p.file !== file) {
        if (started) bar.stop();
        file = p.file;
        t0 = Date.now();
        bar.start(Number(mb(p.totalBytes)), 0, { file: p.file.split(/[\\/]/).slice(-2).join('/'), rows: 0, rate: 0 });
        started = true;
      }
      const secs = Math.max((Date.now() - t0) / 1000, 1e-3);
      bar.update(Number(mb(p.bytesRead)), { rows: p.rows, rate: Math.round(p.rows / secs) });
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

/** A terminal progress bar for a model download (MB, speed, ETA); silent when stderr is not a TTY. */
export function pullProgressBar(enabled: boolean): { update(p: PullProgress): void; stop(): void } {
  if (!enabled || !process.stderr.isTTY) return { update() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: 'download |{bar}| {percentage}% {value}/{total} MB  {speed} MB/s  ETA {etaText}',
      hideCursor: true,
      clearOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(p) {
      if (!started) {
        bar.start(Number(mb(p.totalBytes)), 0, { speed: '-', etaText: '-' });
        started = true;
      }
      bar.update(Number(mb(p.downloadedBytes)), { speed: mb(p.bytesPerSecond), etaText: p.etaMs !== null ? `${Math.round(p.etaMs / 1000)} s` : '-' });
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
