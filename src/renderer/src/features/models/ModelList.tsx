import { useState, type KeyboardEvent } from 'react';
import { focusById, listKeyHandler } from '../../lib/listKeys';
import { orderedRecords, useModels } from './modelsStore';
import { usePlayground } from '../playground/playgroundStore';
import { ErrorNote } from '../../ui/ErrorNote';
import { MODELS_ADD_INPUT_ID } from './ModelsToolbar';
import { ModelRow } from './ModelRow';
import { PLAYGROUND_PROMPT_ID } from '../playground/PlaygroundView';
import { useView } from '../../app/viewStore';

export const MODEL_LIST_ID = 'models-list';

/** Models with their adapters nested under them; keys: arrows move, Enter uses, l loads, F2 renames, Delete removes. */
export function ModelList() {
  const list = useModels((s) => s.list);
  const listError = useModels((s) => s.listError);
  const cursor = useModels((s) => s.cursor);
  const loadedPaths = useModels((s) => s.runtime?.loaded.map((m) => m.path).join('\n') ?? '');
  const [editing, setEditing] = useState<number | null>(null);
  const [confirming, setConfirming] = useState<number | null>(null);
  const { select, refreshList, loadModel } = useModels.getState();

  if (list === null) {
    return listError ? <ErrorNote error={listError} onRetry={() => void refreshList()} /> : <p className="pane-note">Loading…</p>;
  }
  const rows = orderedRecords(list);
  if (rows.length === 0) {
    return (
      <>
        {listError && <ErrorNote error={listError} onRetry={() => void refreshList()} />}
        <p className="pane-note" data-testid="models-empty">
          No models yet. Type the path of a <span className="mono">.gguf</span> file or a folder of them into{' '}
          <button type="button" className="link-button" onClick={() => document.getElementById(MODELS_ADD_INPUT_ID)?.focus()}>
            Add
          </button>
          , or pick them with Browse…; the files stay where they are.
        </p>
      </>
    );
  }

  const loaded = new Set(loadedPaths.split('\n'));
  const modelNames = new Map(list.models.map((m) => [m.id, m.name]));
  const index = rows.findIndex((r) => r.record.id === cursor);
  const current = index === -1 ? undefined : rows[index]?.record;
  const chooseForPlayground = (id: number) => {
    // Into the first column of the Playground view, with the cursor in its prompt.
    const playground = usePlayground.getState();
    playground.setChoice(playground.form.columns[0]!.key, { kind: 'model', id });
    useView.getState().setView('playground');
    requestAnimationFrame(() => focusById(PLAYGROUND_PROMPT_ID));
  };
  const listKeys = listKeyHandler({
    count: rows.length,
    index: index === -1 ? null : index,
    onMove: (i) => {
      const r = rows[i];
      if (r) select(r.record.id);
    },
    onOpen: (i) => {
      const r = rows[i]?.record;
      if (r?.kind === 'model') chooseForPlayground(r.id);
    },
  });
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.target !== event.currentTarget) {
      if (event.key === 'Escape' && confirming !== null) {
        event.preventDefault();
        setConfirming(null);
        document.getElementById(MODEL_LIST_ID)?.focus();
      }
      return;
    }
    if (current && !event.altKey && !event.ctrlKey && !event.metaKey) {
      if (event.key === 'l' && current.kind === 'model') {
        event.preventDefault();
        void loadModel(current);
        return;
      }
      if (event.key === 'F2') {
        event.preventDefault();
        setEditing(current.id);
        return;
      }
      if (event.key === 'Delete') {
        event.preventDefault();
        setConfirming(current.id);
        return;
      }
    }
    listKeys(event);
  };

  return (
    <>
      {listError && <ErrorNote error={listError} onRetry={() => void refreshList()} />}
      <div
        id={MODEL_LIST_ID}
        data-testid="models-list"
        className="list models-list"
        role="grid"
        aria-label="Models"
        tabIndex={0}
        aria-activedescendant={current ? `model-${current.id}` : undefined}
        onKeyDown={onKeyDown}
      >
        {rows.map(({ record, nested }) => (
          <ModelRow
            key={record.id}
            record={record}
            nested={nested}
            selected={record.id === cursor}
            loaded={loaded.has(record.path)}
            modelNames={modelNames}
            editing={editing === record.id}
            confirming={confirming === record.id}
            onEdit={(on) => {
              setEditing(on ? record.id : null);
              if (!on) focusById(MODEL_LIST_ID);
            }}
            onConfirm={(on) => {
              setConfirming(on ? record.id : null);
              if (!on) focusById(MODEL_LIST_ID);
            }}
            onUse={() => chooseForPlayground(record.id)}
          />
        ))}
      </div>
      {list.invalid.length > 0 && (
        // Files in scanned folders whose header was refused: never loaded; a rescan reads them again.
        <details className="pane-note model-invalid" data-testid="model-invalid">
          <summary data-testid="model-invalid-summary">
            {list.invalid.length} file{list.invalid.length === 1 ? ' is' : 's are'} not valid models and will not be loaded
          </summary>
          {/* Focusable: the list scrolls, and keyboard users must be able to scroll it. */}
          <ul className="model-invalid-list" aria-label="Files that are not valid models" tabIndex={0}>
            {list.invalid.map((f) => (
              <li key={f.path} className="model-status-detail" data-testid="model-invalid-file" title={f.path}>
                {f.reason}
              </li>
            ))}
          </ul>
        </details>
      )}
      {list.folders.length > 0 && (
        <p className="pane-note models-folders" data-testid="models-folders" title={list.folders.join('\n')}>
          Scanned folders: <span className="mono">{list.folders.join(' · ')}</span>
        </p>
      )}
    </>
  );
}
