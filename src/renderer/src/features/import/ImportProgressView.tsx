import { formatCount, formatDuration, formatMegabytes, plural } from '../../lib/format';
import { formatRate, progressStats } from './progressStats';
import { useImporter } from './importerStore';

export function ImportProgressView() {
  const status = useImporter((s) => s.status);
  const files = useImporter((s) => s.files);
  const samples = useImporter((s) => s.samples);
  const startedAt = useImporter((s) => s.startedAt);
  const endedAt = useImporter((s) => s.endedAt);
  // A failure before the first file started has nothing to show; the error says it all.
  if (status === 'idle' || (status === 'failed' && files.length === 0)) return null;

  const finished = status !== 'running';
  const stats = progressStats(files, samples, startedAt, finished ? endedAt : null);
  const { rows, bytesRead, totalBytes, filesDone, rowsPerSec, etaSec, elapsedSec } = stats;
  const current = files.findLast((f) => !f.done) ?? files.at(-1);
  // Files not yet reported are unknown, so the bar covers the bytes of files seen so far.
  const max = Math.max(totalBytes, 1);
  const value = finished && status === 'done' ? max : Math.min(bytesRead, max);

  let timing: string | null = null;
  if (!finished && etaSec !== null) timing = `ETA ${formatDuration(etaSec)}`;
  else if (!finished && files.length > 0) timing = 'ETA …';
  else if (finished && elapsedSec !== null) timing = `${status === 'done' ? 'took' : 'stopped after'} ${formatDuration(elapsedSec)}`;

  return (
    <div className="import-progress-row">
      <progress data-testid="import-progress" className="import-progress" value={value} max={max} aria-label="Import progress" />
      <span className="import-progress-text" data-testid="import-progress-text" aria-live="polite">
        {files.length === 0 ? (
          finished ? (
            'Done'
          ) : (
            'Starting…'
          )
        ) : (
          <>
            {`${filesDone}/${plural(files.length, 'file')} · ${plural(rows, 'row')} · ${formatMegabytes(bytesRead)} / ${formatMegabytes(totalBytes)} MB`}
            {totalBytes > 0 && <span className="muted"> ({formatCount(Math.floor((bytesRead / totalBytes) * 100))}%)</span>}
            {rowsPerSec !== null && <span className="import-rate"> · {formatRate(rowsPerSec)}</span>}
            {timing && <span className="import-eta"> · {timing}</span>}
          </>
        )}
        {!finished && current && <span className="import-current"> · {current.file}</span>}
      </span>
    </div>
  );
}
