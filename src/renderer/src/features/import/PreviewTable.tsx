import type { ImportPreview, ImportPreviewEntry } from '../../../../shared/domain';
import { formatBytes, formatCount, plural } from '../../lib/format';
import { copiesText, countsText, previewCounts } from './importCounts';
import { shortPath } from '../../lib/paths';
import { ImportTable } from './ImportTable';

function isDefinitions(e: ImportPreviewEntry): boolean {
  return e.config === null || e.split === null;
}

/** Files kept and left out; the rest is said as the result says it (importCounts.ts). */
export function PreviewTotalsLine({ preview }: { preview: ImportPreview }) {
  const kept = preview.entries.filter((e) => e.skippedBecause === undefined);
  const files = kept.reduce((n, e) => n + Math.max(1, e.files.length), 0);
  const skipped = preview.entries.length - kept.length;
  const c = previewCounts(preview);
  const copies = copiesText(c);
  return (
    <div className="preview-totals">
      <p data-testid="preview-totals">
        {plural(files, 'file')} → {countsText(c)}
        {skipped > 0 && <span className="muted"> · {plural(skipped, 'file')} left out</span>}
      </p>
      {copies && (
        <p className="import-counts-note muted" data-testid="preview-copies">
          {copies}
        </p>
      )}
    </div>
  );
}

const COLUMNS = [
  { label: 'Benchmark' },
  { label: 'Task' },
  { label: 'Config' },
  { label: 'Split' },
  { label: 'Items', num: true },
  { label: 'Layout' },
  { label: 'File' },
  { label: 'Size', num: true },
  { label: 'Note' },
] as const;

function fileTitle(e: ImportPreviewEntry): string {
  return e.files.length > 1 ? e.files.join('\n') : e.file;
}

/** What an import would write, one row per split (or definitions file), before anything is written. */
export function PreviewTable({ preview }: { preview: ImportPreview }) {
  return (
    <ImportTable wrapClassName="preview-table-wrap" columns={COLUMNS}>
      {preview.entries.map((e) => (
        <tr
          key={`${e.file}|${e.task}|${e.config ?? ''}|${e.split ?? ''}`}
          data-testid="preview-row"
          className={e.skippedBecause !== undefined ? 'unchanged' : undefined}
        >
          <td>{e.benchmark}</td>
          <td>{e.task}</td>
          <td>{e.config ?? '—'}</td>
          <td>{e.split ?? '—'}</td>
          <td className="num" data-testid="preview-rows" title={isDefinitions(e) ? 'task ids with instruction paraphrases' : 'items: one per record (row)'}>
            {isDefinitions(e) ? `${formatCount(e.rowCount)} ids` : formatCount(e.rowCount)}
          </td>
          <td className="mono">{e.layout}</td>
          <td className="file" title={fileTitle(e)}>
            {shortPath(e.file)}
            {e.files.length > 1 && <span className="muted"> (+{formatCount(e.files.length - 1)} shards)</span>}
          </td>
          <td className="num">{formatBytes(e.bytes)}</td>
          <td className="preview-note">{e.skippedBecause !== undefined ? `left out: ${e.skippedBecause}` : ''}</td>
        </tr>
      ))}
    </ImportTable>
  );
}
