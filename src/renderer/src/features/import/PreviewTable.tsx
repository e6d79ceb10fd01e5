import type { ImportPreview, ImportPreviewEntry } from '../../../../shared/domain';
import { formatBytes, formatCount, plural } from '../../lib/format';
import { shortPath } from '../../lib/paths';
import { ImportTable } from './ImportTable';

export interface PreviewTotals {
  files: number;
  tasks: number;
  rows: number;
  skipped: number;
  /** Instruction-variant files (MedS-Ins definitions) and the task ids they cover. */
  definitions: number;
  definitionTasks: number;
}

function isDefinitions(e: ImportPreviewEntry): boolean {
  return e.config === null || e.split === null;
}

export function previewTotals(preview: ImportPreview): PreviewTotals {
  const kept = preview.entries.filter((e) => e.skippedBecause === undefined);
  const splits = kept.filter((e) => !isDefinitions(e));
  const definitions = kept.filter(isDefinitions);
  return {
    files: kept.reduce((n, e) => n + Math.max(1, e.files.length), 0),
    tasks: new Set(splits.map((e) => `${e.benchmark}\u0000${e.task}`)).size,
    rows: splits.reduce((n, e) => n + e.rowCount, 0),
    skipped: preview.entries.length - kept.length,
    definitions: definitions.length,
    definitionTasks: definitions.reduce((n, e) => n + e.rowCount, 0),
  };
}

export function PreviewTotalsLine({ preview }: { preview: ImportPreview }) {
  const t = previewTotals(preview);
  return (
    <p className="preview-totals" data-testid="preview-totals">
      {plural(t.files, 'file')} · {plural(t.tasks, 'task')} · {plural(t.rows, 'row')}
      {t.definitions > 0 && <> · instruction variants for {plural(t.definitionTasks, 'task id')}</>}
      {t.skipped > 0 && <span className="muted"> · {plural(t.skipped, 'file')} left out</span>}
    </p>
  );
}

const COLUMNS = [
  { label: 'Benchmark' },
  { label: 'Task' },
  { label: 'Config' },
  { label: 'Split' },
  { label: 'Rows', num: true },
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
          <td className="num" data-testid="preview-rows">
            {formatCount(e.rowCount)}
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
