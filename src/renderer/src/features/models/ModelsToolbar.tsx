import { useState, type FormEvent } from 'react';
import { formatBytes, formatCount, plural } from '../../lib/format';
import { parsePaths } from '../../lib/parsePaths';
import { appendPaths, shortPath } from '../../lib/paths';
import { useModels } from './modelsStore';
import { ErrorNote } from '../../ui/ErrorNote';
import { PathInput } from '../../ui/PathInput';

export const MODELS_ADD_INPUT_ID = 'models-add-path';

/** Add files or folders, rescan, pull by name; each answer (or error) shows right under the control that asked. */
export function ModelsToolbar() {
  const busy = useModels((s) => s.toolbarBusy);
  const errors = useModels((s) => s.toolbarErrors);
  const outcome = useModels((s) => s.outcome);
  const [paths, setPaths] = useState('');
  const [uri, setUri] = useState('');
  const [refresh, setRefresh] = useState(false);
  const { add, rescan, pull } = useModels.getState();
  const pulling = useModels((s) => s.pullState !== null);

  const onAdd = async (event: FormEvent) => {
    event.preventDefault();
    const list = parsePaths(paths);
    if (list.length === 0) return;
    if (await add(list)) setPaths('');
  };
  const onPull = async (event: FormEvent) => {
    event.preventDefault();
    if (uri.trim() === '') return;
    if (await pull(uri.trim())) setUri('');
  };

  return (
    <div className="models-toolbar">
      <div className="models-toolbar-row">
        <form className="models-toolbar-form grow" onSubmit={(e) => void onAdd(e)}>
          <label className="import-label" htmlFor={MODELS_ADD_INPUT_ID}>
            Add
          </label>
          <PathInput
            id={MODELS_ADD_INPUT_ID}
            testId="models-add-path"
            placeholder="A .gguf file or a folder to scan (models stay where they are)"
            value={paths}
            onChange={setPaths}
            browseTestId="models-browse"
            browseTitle="Pick .gguf files or a folder on the engine's machine"
            browseDisabled={busy !== null}
            picker={{ title: 'Add models', memoryKey: 'models', mode: 'any', multiple: true, extensions: ['gguf'], testId: 'models-picker' }}
            fromPicked={(picked, current) => appendPaths(current, picked)}
          />
          <button type="submit" className="button primary" data-testid="models-add" disabled={busy !== null || parsePaths(paths).length === 0}>
            {busy === 'add' ? 'Adding…' : 'Add'}
          </button>
        </form>
        <div className="models-toolbar-form">
          <label className="check" title="Also re-read files whose size or modification time changed">
            <input type="checkbox" data-testid="models-rescan-refresh" checked={refresh} onChange={(e) => setRefresh(e.target.checked)} />
            re-read changed
          </label>
          <button type="button" className="button" data-testid="models-rescan" disabled={busy !== null} onClick={() => void rescan(refresh)}>
            {busy === 'rescan' ? 'Rescanning…' : 'Rescan'}
          </button>
        </div>
        <form className="models-toolbar-form pull-form" onSubmit={(e) => void onPull(e)}>
          <input
            data-testid="models-pull-uri"
            className="text-input mono grow"
            type="text"
            spellCheck={false}
            autoComplete="off"
            aria-label="Model to pull"
            placeholder="hf:user/repo:Q4_K_M or https://…/model.gguf"
            value={uri}
            onChange={(e) => setUri(e.target.value)}
          />
          <button type="submit" className="button" data-testid="models-pull" disabled={busy !== null || pulling || uri.trim() === ''}>
            {busy === 'pull' ? 'Pulling…' : 'Pull'}
          </button>
        </form>
      </div>
      {busy === 'pull' && <PullProgressRow />}
      {errors.add && <ErrorNote error={errors.add} testId="models-add-error" />}
      {errors.rescan && <ErrorNote error={errors.rescan} testId="models-rescan-error" />}
      {errors.pull && <ErrorNote error={errors.pull} testId="models-pull-error" />}
      {outcome && (
        <div className="models-outcome" data-testid="models-outcome" data-kind={outcome.kind}>
          {outcome.kind === 'add' && (
            <span>
              Added {plural(outcome.result.added.length, 'file')}
              {outcome.result.updated.length > 0 && `, re-read ${formatCount(outcome.result.updated.length)} already in the library`}
              {outcome.result.skipped.length > 0 && `, skipped ${formatCount(outcome.result.skipped.length)}`} from{' '}
              {outcome.paths.map((p) => shortPath(p, 3)).join(', ')}
            </span>
          )}
          {outcome.kind === 'rescan' && (
            <span>
              Checked {plural(outcome.result.checked, 'file')}: {formatCount(outcome.result.ok)} ok, {formatCount(outcome.result.missing)} missing,{' '}
              {formatCount(outcome.result.changed)} changed, {formatCount(outcome.result.added.length)} new
            </span>
          )}
          {outcome.kind === 'pull' && (
            <span>
              Pulled <span className="mono">{outcome.result.path}</span> as {outcome.result.record.name}
              {outcome.result.resumedBytes > 0 && ` (resumed: ${formatBytes(outcome.result.resumedBytes)} were already here)`}
            </span>
          )}
          {(outcome.kind === 'add' || outcome.kind === 'rescan') && outcome.result.skipped.length > 0 && (
            <ul className="models-skipped" data-testid="models-skipped">
              {outcome.result.skipped.map((p) => (
                <li key={p.file} data-testid="models-skipped-file" title={p.file}>
                  <span className="mono">{shortPath(p.file, 3)}</span>: {p.message}
                </li>
              ))}
            </ul>
          )}
          <button type="button" className="link-button" onClick={() => useModels.setState({ outcome: null })}>
            Dismiss
          </button>
        </div>
      )}
    </div>
  );
}

/** The download in flight: bytes, speed and time left as the engine reports them, and Cancel. */
function PullProgressRow() {
  const state = useModels((s) => s.pullState);
  const { cancelPull } = useModels.getState();
  const p = state?.progress ?? null;
  return (
    <div className="pull-progress" data-testid="models-pull-progress">
      <progress max={p?.totalBytes || 1} value={p?.downloadedBytes ?? 0} aria-label="Download progress" />
      <span className="muted" data-testid="models-pull-progress-text">
        {p === null
          ? 'Connecting…'
          : `${formatBytes(p.downloadedBytes)} of ${formatBytes(p.totalBytes)} · ${formatBytes(p.bytesPerSecond)}/s${p.etaMs !== null ? ` · ${Math.ceil(p.etaMs / 1000)} s left` : ''}`}
      </span>
      <button type="button" className="mini-button" data-testid="models-pull-cancel" disabled={!state || state.cancelling} onClick={() => void cancelPull()}>
        {state?.cancelling ? 'Cancelling…' : 'Cancel'}
      </button>
    </div>
  );
}
