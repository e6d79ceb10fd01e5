import { useState, type FormEvent, type KeyboardEvent, type ReactNode } from 'react';
import { focusById } from '../../lib/listKeys';
import { appendPaths } from '../../lib/paths';
import { useImporter } from './importerStore';
import { ImportOutcome } from './ImportOutcome';
import { ImportPreviewDialog } from './ImportPreviewDialog';
import { ImportProgressView } from './ImportProgressView';
import { MappingDialog } from './MappingDialog';
import { PathPicker } from '../../ui/PathPicker';
import './import.css';

/** The file types the importer reads (a Hub dataset's README is read when its folder is picked). */
const IMPORT_EXTENSIONS = ['json', 'jsonl', 'parquet', 'csv'] as const;

interface ImportBarProps {
  /** Shown at the right end of the bar (the search box). */
  aside?: ReactNode;
}

export function ImportBar({ aside }: ImportBarProps) {
  const text = useImporter((s) => s.text);
  const status = useImporter((s) => s.status);
  const cancelling = useImporter((s) => s.cancelling);
  const previewing = useImporter((s) => s.previewing);
  const { setText, run, cancel, abandonPreview } = useImporter.getState();
  const running = status === 'running';
  const [browsing, setBrowsing] = useState(false);

  // In the desktop app Browse… is the system's own dialog (its answer is what the engine may
  // read); in a browser, or when the dialog cannot open, the engine-side picker.
  const browse = async () => {
    const dialogs = window.medtask?.dialogs;
    if (!dialogs) return setBrowsing(true);
    const opened = await dialogs.open({
      title: 'Import files or folders',
      pick: 'any',
      multiple: true,
      filters: [{ name: 'Benchmark files', extensions: [...IMPORT_EXTENSIONS] }],
    });
    if (!opened.ok) return setBrowsing(true);
    if (opened.value.paths.length) setText(appendPaths(text, opened.value.paths));
    focusById('import-paths');
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run();
  };

  // A one-line box that submits on Enter like an input, yet still takes pasted multi-line lists.
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void run();
    }
  };

  return (
    <div className="import-area">
      <div className="top-row">
        <form className="import-bar" onSubmit={submit}>
          <label className="import-label bar-label" htmlFor="import-paths">
            Import
          </label>
          <textarea
            id="import-paths"
            data-testid="import-paths"
            className="import-paths"
            rows={1}
            spellCheck={false}
            autoComplete="off"
            placeholder="File or folder paths on the engine's machine (spaces or Shift+Enter between paths)"
            value={text}
            onChange={(e) => setText(e.target.value)}
            onKeyDown={onKeyDown}
          />
          <button
            type="button"
            id="import-browse"
            data-testid="import-browse"
            className="button"
            disabled={running}
            title="Pick files or folders on the engine's machine"
            onClick={() => void browse().catch(() => setBrowsing(true))}
          >
            Browse…
          </button>
          <button
            type="submit"
            data-testid="import-button"
            className="button primary"
            disabled={running || previewing}
            title="Shows what the paths hold before anything is written"
          >
            {running ? 'Importing…' : previewing ? 'Reading…' : 'Import'}
          </button>
          {previewing && (
            <button type="button" data-testid="preview-abandon" className="button" onClick={abandonPreview}>
              Cancel
            </button>
          )}
          {running && (
            <button type="button" data-testid="import-cancel" className="button" disabled={cancelling} onClick={() => void cancel()}>
              {cancelling ? 'Cancelling…' : 'Cancel'}
            </button>
          )}
        </form>
        {browsing && (
          <PathPicker
            title="Import files or folders"
            memoryKey="import"
            mode="any"
            multiple
            extensions={IMPORT_EXTENSIONS}
            testId="import-picker"
            onClose={() => setBrowsing(false)}
            onPick={(paths) => {
              setBrowsing(false);
              setText(appendPaths(text, paths));
              focusById('import-paths');
            }}
          />
        )}
        {aside}
      </div>
      <ImportProgressView />
      <ImportOutcome />
      <ImportPreviewDialog />
      <MappingDialog />
    </div>
  );
}
