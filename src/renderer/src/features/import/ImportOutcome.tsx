import { useId, useState } from 'react';
import { formatCount, plural } from '../../lib/format';
import { isSkippableUnknown, isUnknownLayout, useImporter } from './importerStore';
import { ErrorNote } from '../../ui/ErrorNote';
import { ImportTable } from './ImportTable';
import { copiesText, countsText, resultCounts } from './importCounts';

const COLUMNS = [{ label: 'Benchmark' }, { label: 'Task' }, { label: 'Config' }, { label: 'Split' }, { label: 'Items', num: true }, { label: 'File' }] as const;

export function ImportOutcome() {
  const result = useImporter((s) => s.result);
  const error = useImporter((s) => s.error);
  const status = useImporter((s) => s.status);
  const lastRequest = useImporter((s) => s.lastRequest);
  const { dismiss, openMapping, requestPreview } = useImporter.getState();

  if (error) {
    // An unknown layout, or a mapped import that failed: a (new) column mapping is the way on.
    const mappable = status !== 'running' && lastRequest !== null && (isUnknownLayout(error) || lastRequest.mapping !== undefined);
    // The file was found inside a folder the user named: the rest of the folder can still be imported.
    const skippable = mappable && isSkippableUnknown(error) && !lastRequest.mapping && !lastRequest.skipUnknown;
    return (
      <div className="import-outcome">
        <ErrorNote error={error} testId="import-error" />
        {status !== 'running' && (
          <div className="import-outcome-actions">
            {mappable && (
              <button type="button" className="button" data-testid="import-map" onClick={openMapping}>
                {lastRequest.mapping ? 'Edit column mapping…' : 'Map columns…'}
              </button>
            )}
            {skippable && (
              <button
                type="button"
                className="button"
                data-testid="import-skip-unknown"
                title="Preview the folder again, leaving out every file in no known layout"
                onClick={() => void requestPreview({ ...lastRequest, skipUnknown: true })}
              >
                Skip files in no known layout
              </button>
            )}
            <button type="button" className="link-button" onClick={dismiss}>
              Dismiss
            </button>
          </div>
        )}
      </div>
    );
  }
  if (!result) return null;
  // Keyed by the import: a new result starts collapsed again.
  return <ImportResultView key={result.importId} />;
}

/**
 * What an import wrote, as one line (counts in the preview's words, the first task names, Show
 * splits, Dismiss); the table of splits opens on demand and scrolls within a few rows' height, so
 * the result never holds a third of the screen.
 */
function ImportResultView() {
  const result = useImporter((s) => s.result);
  const { dismiss } = useImporter.getState();
  const [open, setOpen] = useState(false);
  const tableId = useId();
  if (!result) return null;
  const c = resultCounts(result);
  const unchanged = result.splits.filter((s) => !s.changed).length;
  const copies = copiesText(c);
  const names = c.taskNames.length > 3 ? `${c.taskNames.slice(0, 3).join(', ')}, …` : c.taskNames.join(', ');
  return (
    <div
      className="import-outcome import-result"
      data-testid="import-result"
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          dismiss();
        }
      }}
    >
      <div className="import-summary" role="status">
        <span className="import-summary-text" data-testid="import-result-summary" title={names}>
          Imported {countsText(c)}
          {names && <span className="muted">: {names}</span>}
          {unchanged > 0 && <span className="muted"> ({formatCount(unchanged)} unchanged)</span>}
        </span>
        {result.splits.length > 0 && (
          <button
            type="button"
            className="link-button"
            data-testid="import-result-toggle"
            aria-expanded={open}
            aria-controls={tableId}
            onClick={() => setOpen(!open)}
          >
            {open ? 'Hide splits' : `Show ${plural(result.splits.length, 'split')}`}
          </button>
        )}
        <button type="button" className="link-button" data-testid="import-result-dismiss" aria-label="Dismiss the import result" onClick={dismiss}>
          Dismiss
        </button>
      </div>
      {copies && (
        <p className="import-counts-note muted" data-testid="import-result-copies">
          {copies}
        </p>
      )}
      {result.skipped.length > 0 && (
        <details className="import-skipped" data-testid="import-skipped">
          <summary>Left out {plural(result.skipped.length, 'file')}</summary>
          <ul>
            {result.skipped.map((s) => (
              <li key={s.file}>
                <span className="mono">{s.file}</span> <span className="muted">— {s.reason}</span>
              </li>
            ))}
          </ul>
        </details>
      )}
      {open && result.splits.length > 0 && (
        <div id={tableId} data-testid="import-result-table">
          <ImportTable wrapClassName="import-result-table" columns={COLUMNS}>
            {result.splits.map((s) => (
              <tr key={`${s.file}|${s.task}|${s.config}|${s.split}`} className={s.changed ? undefined : 'unchanged'}>
                <td>{s.benchmark}</td>
                <td>{s.task}</td>
                <td>{s.config}</td>
                <td>{s.split}</td>
                <td className="num">{formatCount(s.itemCount)}</td>
                <td className="file" title={s.file}>
                  {s.file}
                  {!s.changed && <span className="muted"> (unchanged)</span>}
                </td>
              </tr>
            ))}
          </ImportTable>
        </div>
      )}
    </div>
  );
}
