import { formatCount, plural } from '../../lib/format';
import { isSkippableUnknown, isUnknownLayout, useImporter } from './importerStore';
import { ErrorNote } from '../../ui/ErrorNote';
import { ImportTable } from './ImportTable';

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

  const items = result.splits.reduce((n, s) => n + s.itemCount, 0);
  const unchanged = result.splits.filter((s) => !s.changed).length;
  // Older engines may answer without the field.
  const definitions = result.definitions ?? [];
  return (
    <div className="import-outcome" data-testid="import-result">
      <div className="import-summary">
        Imported {plural(result.splits.length, 'split')}, {plural(items, 'item')}
        {unchanged > 0 && <span className="muted"> ({formatCount(unchanged)} unchanged)</span>}
        {definitions.length > 0 && (
          <span>
            ; instruction paraphrases for{' '}
            {plural(
              definitions.reduce((n, d) => n + d.taskCount, 0),
              'task',
            )}{' '}
            (
            {plural(
              definitions.reduce((n, d) => n + d.variantCount, 0),
              'variant',
            )}
            )
          </span>
        )}
        <button type="button" className="link-button" onClick={dismiss}>
          Dismiss
        </button>
      </div>
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
      {result.splits.length > 0 && (
        <ImportTable columns={COLUMNS}>
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
      )}
    </div>
  );
}
