import { useRef } from 'react';
import { plural } from '../../lib/format';
import { useImporter, type PendingPreview } from './importerStore';
import { Dialog } from '../../ui/Dialog';
import { DialogButtons } from '../../ui/DialogButtons';
import { PreviewTable, PreviewTotalsLine } from './PreviewTable';

/** Shown after Import: what the paths hold, written only on confirm. */
export function ImportPreviewDialog() {
  const preview = useImporter((s) => s.preview);
  if (!preview) return null;
  return <PreviewDialog preview={preview} />;
}

function PreviewDialog({ preview }: { preview: PendingPreview }) {
  const { confirmPreview, closePreview } = useImporter.getState();
  const confirmRef = useRef<HTMLButtonElement>(null);
  const { entries } = preview.result;
  const empty = entries.every((e) => e.skippedBecause !== undefined);
  const confirm = () => {
    if (!empty) void confirmPreview();
  };
  const paths = preview.request.paths;

  return (
    <Dialog
      title="Import preview"
      testId="import-preview"
      className="preview-dialog"
      onClose={closePreview}
      onEnter={confirm}
      returnFocusId="import-paths"
      initialFocus={empty ? undefined : confirmRef}
    >
      <p className="dialog-lead">
        Found in{' '}
        {paths.length === 1 ? (
          <span className="mono" title={paths[0]}>
            {paths[0]}
          </span>
        ) : (
          <span title={paths.join('\n')}>{plural(paths.length, 'path')}</span>
        )}
        {preview.request.mapping ? ', read with your column mapping' : ''}. Nothing is written until you import.
      </p>
      {entries.length === 0 ? (
        <p className="pane-note" data-testid="preview-empty">
          No data files were found in these paths.
        </p>
      ) : (
        <>
          <PreviewTable preview={preview.result} />
          <PreviewTotalsLine preview={preview.result} />
        </>
      )}
      <DialogButtons enter="import" cancelTestId="preview-cancel" onCancel={closePreview}>
        <button ref={confirmRef} type="button" className="button primary" data-testid="preview-confirm" disabled={empty} onClick={confirm}>
          Import
        </button>
      </DialogButtons>
    </Dialog>
  );
}
