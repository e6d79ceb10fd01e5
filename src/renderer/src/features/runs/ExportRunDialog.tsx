import { useRef, useState, type FormEvent } from 'react';
import { toErrorData, type ApiErrorData } from '../../../../shared/errors';
import { formatBytes, plural } from '../../lib/format';
import { useRuns, type ExportFormat } from './runsStore';
import { Dialog } from '../../ui/Dialog';
import { DialogButtons } from '../../ui/DialogButtons';
import { ErrorNote } from '../../ui/ErrorNote';
import { FormField } from '../../ui/FormField';
import { PathInput } from '../../ui/PathInput';

const FORMATS: readonly { value: ExportFormat; label: string; ext: string }[] = [
  { value: 'meds-bench-csv', label: 'MedS-Bench CSV (input, gt, output per task)', ext: 'csv' },
  { value: 'medinst32-json', label: 'MedINST32 results JSON (generated + metrics per task)', ext: 'json' },
  { value: 'items-json', label: 'Items JSON (every item with tokens, latency and errors)', ext: 'json' },
  { value: 'items-csv', label: 'Items CSV (one row per item)', ext: 'csv' },
];

/** The last folder written to, so the next export suggests the same place. */
let lastDir = '';

function suggestedName(runId: number, format: ExportFormat): string {
  const ext = FORMATS.find((f) => f.value === format)?.ext ?? 'txt';
  return `run-${runId}-${format}.${ext}`;
}

function suggestPath(dir: string, runId: number, format: ExportFormat): string {
  return dir ? `${dir.replace(/[\\/]+$/, '')}/${suggestedName(runId, format)}` : '';
}

export function ExportRunDialog() {
  const dialog = useRuns((s) => s.dialog);
  if (dialog?.kind !== 'export') return null;
  return <ExportForm key={dialog.runId} runId={dialog.runId} />;
}

function ExportForm({ runId }: { runId: number }) {
  const run = useRuns((s) => s.runs?.find((r) => r.id === runId));
  const { closeDialog, exportRun } = useRuns.getState();
  const [format, setFormat] = useState<ExportFormat>('items-csv');
  const [out, setOut] = useState(() => suggestPath(lastDir, runId, 'items-csv'));
  const [pathError, setPathError] = useState<string | null>(null);
  const [error, setError] = useState<ApiErrorData | null>(null);
  const [result, setResult] = useState<{ file: string; bytes: number; items: number } | null>(null);
  const [writing, setWriting] = useState(false);
  // Off by default: the engine refuses to replace a file unless asked (issue 12).
  const [overwrite, setOverwrite] = useState(false);
  const pathRef = useRef<HTMLInputElement>(null);
  const closeRef = useRef<HTMLButtonElement>(null);

  const changeFormat = (next: ExportFormat) => {
    setFormat(next);
    setResult(null);
    // Keep a typed name; only swap a suggested one for the new format's, in whatever folder it is.
    const slash = Math.max(out.lastIndexOf('/'), out.lastIndexOf('\\'));
    if (out === '') setOut(suggestPath(lastDir, runId, next));
    else if (out.slice(slash + 1) === suggestedName(runId, format)) setOut(`${out.slice(0, slash + 1)}${suggestedName(runId, next)}`);
  };

  const submit = async () => {
    if (writing) return;
    if (out.trim() === '') {
      setPathError('Required: where to write the file on the engine’s machine.');
      pathRef.current?.focus();
      return;
    }
    setWriting(true);
    setError(null);
    setResult(null);
    try {
      const written = await exportRun(runId, format, out.trim(), overwrite);
      setResult(written);
      lastDir = written.file.replace(/[\\/][^\\/]*$/, '');
      // The Export button was disabled while writing and lost focus: give it to Close, next to the result.
      requestAnimationFrame(() => closeRef.current?.focus());
    } catch (err) {
      setError(toErrorData(err));
      // Errors name the output file: back to it, to fix and export again.
      requestAnimationFrame(() => pathRef.current?.focus());
    } finally {
      setWriting(false);
    }
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void submit();
  };

  return (
    <Dialog
      title={`Export run ${runId}`}
      testId="run-export-dialog"
      className="mapping-dialog"
      onClose={closeDialog}
      onEnter={() => void submit()}
      initialFocus={pathRef}
    >
      <form className="mapping-form" onSubmit={onSubmit} noValidate>
        {run && <p className="dialog-lead">{run.name}</p>}
        <FormField htmlFor="run-export-format" label="Format">
          <select
            id="run-export-format"
            data-testid="run-export-format"
            className="text-input"
            value={format}
            onChange={(e) => changeFormat(e.target.value as ExportFormat)}
          >
            {FORMATS.map((f) => (
              <option key={f.value} value={f.value}>
                {f.label}
              </option>
            ))}
          </select>
        </FormField>
        <FormField
          htmlFor="run-export-path"
          label="Output file"
          error={pathError}
          hint="written by the engine; a bare file name goes into the data folder’s exports folder"
        >
          <PathInput
            id="run-export-path"
            testId="run-export-path"
            inputRef={pathRef}
            placeholder="/path/on/the/engine/machine/run.csv"
            value={out}
            invalid={pathError !== null}
            onChange={(next) => {
              setOut(next);
              setPathError(null);
              setResult(null);
            }}
            browseTestId="run-export-browse"
            browseTitle="Pick the folder to write into"
            // In the desktop app Browse… is a native save dialog: the file the user answers is granted for writing.
            picker={{ title: 'Folder to write the export into', memoryKey: 'export', mode: 'folder', testId: 'export-picker', save: true }}
            // Keep the file name typed or suggested; only the folder changes.
            fromPicked={([folder], current) => `${folder!.replace(/[\\/]+$/, '')}/${current.trim().split(/[\\/]/).pop() || suggestedName(runId, format)}`}
          />
        </FormField>
        <label className="check">
          <input type="checkbox" data-testid="run-export-overwrite" checked={overwrite} onChange={(e) => setOverwrite(e.target.checked)} />
          replace the file if it exists
        </label>
        {error && <ErrorNote error={error} testId="run-export-error" />}
        {result && (
          <p className="export-result" data-testid="run-export-result" role="status">
            Wrote {plural(result.items, 'item')} ({formatBytes(result.bytes)}) to{' '}
            <span className="mono" data-testid="run-export-file">
              {result.file}
            </span>
          </p>
        )}
        <DialogButtons
          enter="export"
          esc="close"
          cancelTestId="run-export-close"
          cancelLabel={result ? 'Close' : 'Cancel'}
          onCancel={closeDialog}
          cancelRef={closeRef}
        >
          <button type="submit" className="button primary" data-testid="run-export-confirm" disabled={writing}>
            {writing ? 'Writing…' : 'Export'}
          </button>
        </DialogButtons>
      </form>
    </Dialog>
  );
}
