import { useRef, useState, type FormEvent } from 'react';
import { toErrorData, type ApiErrorData } from '../../../../shared/errors';
import type { MetricMode } from '../../../../shared/runs';
import { useRuns, type ImportRequest } from './runsStore';
import { Dialog } from '../../ui/Dialog';
import { DialogButtons } from '../../ui/DialogButtons';
import { ErrorNote } from '../../ui/ErrorNote';
import { FormField } from '../../ui/FormField';
import { PathInput } from '../../ui/PathInput';

type Format = '' | NonNullable<ImportRequest['format']>;

export function ImportPredictionsDialog() {
  const open = useRuns((s) => s.dialog?.kind === 'import');
  if (!open) return null;
  return <ImportForm />;
}

/** Predictions made elsewhere (a MedS-Bench CSV, a MedINST32 results JSON) become a scored run. */
function ImportForm() {
  const { closeDialog, importPredictions } = useRuns.getState();
  const [file, setFile] = useState('');
  const [format, setFormat] = useState<Format>('');
  const [mode, setMode] = useState<MetricMode>('reference');
  const [name, setName] = useState('');
  const [fileError, setFileError] = useState<string | null>(null);
  const [error, setError] = useState<ApiErrorData | null>(null);
  const [importing, setImporting] = useState(false);
  const fileRef = useRef<HTMLInputElement>(null);

  const submit = async () => {
    if (importing) return;
    if (file.trim() === '') {
      setFileError('Required: the predictions file on the engine’s machine.');
      fileRef.current?.focus();
      return;
    }
    setImporting(true);
    setError(null);
    try {
      await importPredictions({
        file: file.trim(),
        ...(format !== '' ? { format } : {}),
        mode,
        ...(name.trim() !== '' ? { name: name.trim() } : {}),
      });
    } catch (err) {
      setError(toErrorData(err));
      setImporting(false);
    }
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void submit();
  };

  return (
    <Dialog
      title="Import predictions"
      testId="runs-import-dialog"
      className="mapping-dialog"
      onClose={closeDialog}
      onEnter={() => void submit()}
      initialFocus={fileRef}
      returnFocusId="runs-import"
    >
      <form className="mapping-form" onSubmit={onSubmit} noValidate>
        <p className="dialog-lead">
          A MedS-Bench predictions CSV or a MedINST32 results JSON; it is scored with the benchmark’s own metrics and listed as a run.
        </p>
        <FormField htmlFor="runs-import-path" label="Predictions file" error={fileError}>
          <PathInput
            id="runs-import-path"
            testId="runs-import-path"
            inputRef={fileRef}
            placeholder="/path/on/the/engine/machine/predictions.csv"
            value={file}
            invalid={fileError !== null}
            onChange={(next) => {
              setFile(next);
              setFileError(null);
            }}
            browseTestId="runs-import-browse"
            picker={{ title: 'Predictions file', memoryKey: 'predictions', mode: 'file', extensions: ['csv', 'json'], testId: 'predictions-picker' }}
          />
        </FormField>
        <div className="form-group">
          <FormField htmlFor="runs-import-format" label="Format">
            <select
              id="runs-import-format"
              data-testid="runs-import-format"
              className="text-input"
              value={format}
              onChange={(e) => setFormat(e.target.value as Format)}
            >
              <option value="">detect from the file</option>
              <option value="meds-bench-csv">MedS-Bench CSV</option>
              <option value="medinst32-json">MedINST32 results JSON</option>
            </select>
          </FormField>
          <FormField htmlFor="runs-import-mode" label="Metric mode">
            <select
              id="runs-import-mode"
              data-testid="runs-import-mode"
              className="text-input"
              value={mode}
              onChange={(e) => setMode(e.target.value as MetricMode)}
            >
              <option value="reference">reference (as published)</option>
              <option value="corrected">corrected</option>
            </select>
          </FormField>
          <FormField htmlFor="runs-import-name" label="Run name">
            <input
              id="runs-import-name"
              data-testid="runs-import-name"
              className="text-input"
              type="text"
              placeholder="automatic"
              value={name}
              onChange={(e) => setName(e.target.value)}
            />
          </FormField>
        </div>
        {error && <ErrorNote error={error} testId="runs-import-error" />}
        <DialogButtons enter="import" cancelTestId="runs-import-cancel" onCancel={closeDialog}>
          <button type="submit" className="button primary" data-testid="runs-import-confirm" disabled={importing}>
            {importing ? 'Importing…' : 'Import'}
          </button>
        </DialogButtons>
      </form>
    </Dialog>
  );
}
