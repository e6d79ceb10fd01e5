import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { ModelRecord } from '../../../../shared/models';
import { formatBytes, formatCount } from '../../lib/format';
import { baseName, FIT_LABEL, formatContext, formatMs, formatParams, quantization } from './modelFormat';
import { useModels } from './modelsStore';
import { ErrorNote } from '../../ui/ErrorNote';

interface ModelRowProps {
  record: ModelRecord;
  /** Adapters shown under their base model. */
  nested: boolean;
  selected: boolean;
  loaded: boolean;
  /** Names of every model, for an adapter's base choice. */
  modelNames: Map<number, string>;
  editing: boolean;
  confirming: boolean;
  onEdit(editing: boolean): void;
  onConfirm(confirming: boolean): void;
  onUse(): void;
}

function RenameField({ record, onDone }: { record: ModelRecord; onDone(): void }) {
  const [name, setName] = useState(record.name);
  const ref = useRef<HTMLInputElement>(null);
  const done = useRef(false);
  useEffect(() => {
    ref.current?.focus();
    ref.current?.select();
  }, []);
  const finish = (save: boolean) => {
    if (done.current) return;
    done.current = true;
    if (save) void useModels.getState().rename(record.id, name);
    onDone();
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    event.stopPropagation();
    if (event.key === 'Enter') {
      event.preventDefault();
      finish(true);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      finish(false);
    }
  };
  return (
    <input
      ref={ref}
      className="text-input model-rename"
      data-testid="model-rename"
      aria-label={`New name for ${record.name}`}
      value={name}
      maxLength={200}
      onChange={(e) => setName(e.target.value)}
      onKeyDown={onKeyDown}
      onBlur={() => finish(true)}
    />
  );
}

/** One model or adapter: header facts, fit estimate, file status, load progress, and its actions. */
export function ModelRow({ record, nested, selected, loaded, modelNames, editing, confirming, onEdit, onConfirm, onUse }: ModelRowProps) {
  const load = useModels((s) => s.loads[record.path]);
  const busy = useModels((s) => s.rowBusy[record.id]);
  const error = useModels((s) => s.rowErrors[record.id]);
  const { loadModel, cancelLoad, remove, setAdapterBase, select, dismissRowError } = useModels.getState();
  const h = record.header;
  const isModel = record.kind === 'model';
  const loading = load?.status === 'loading';
  const fit = record.fit;
  const base = record.base;

  return (
    <div
      id={`model-${record.id}`}
      role="row"
      aria-selected={selected}
      className={`row model-row${nested ? ' nested' : ''}`}
      data-testid="model-row"
      data-id={record.id}
      data-kind={record.kind}
      data-status={record.status}
      onClick={() => select(record.id)}
      onDoubleClick={(e) => {
        if ((e.target as HTMLElement).closest('button, input, select')) return;
        if (isModel) onUse();
      }}
    >
      {/* A grid row holds cells: one cell with the row's lines and buttons (axe aria-required-children). */}
      <div role="gridcell" className="model-row-cell">
        <div className="model-line">
          <span className="model-name-cell">
            {nested && (
              <span className="model-nest" aria-hidden="true">
                ↳
              </span>
            )}
            {editing ? (
              <RenameField record={record} onDone={() => onEdit(false)} />
            ) : (
              <span className="row-title" data-testid="model-name" title={record.path}>
                {record.name}
              </span>
            )}
            {!isModel && <span className="tag">LoRA</span>}
            {loaded && (
              <span className="tag tag-ok" data-testid="model-loaded">
                loaded
              </span>
            )}
            {record.status !== 'ok' && (
              <span className={`tag tag-${record.status}`} data-testid="model-status">
                {record.status}
              </span>
            )}
          </span>
          <span className="model-actions">
            {isModel && (
              <>
                <button type="button" className="mini-button" data-testid="model-use" title="Use in the playground (Enter)" onClick={onUse}>
                  Use
                </button>
                <button
                  type="button"
                  className="mini-button"
                  data-testid="model-load"
                  title="Load into memory with the runtime panel's settings (l)"
                  disabled={loading || record.status === 'missing'}
                  onClick={() => void loadModel(record)}
                >
                  Load
                </button>
              </>
            )}
            <button
              type="button"
              className="mini-button"
              data-testid="model-rename-start"
              title="Rename (F2)"
              disabled={busy !== undefined}
              onClick={() => onEdit(true)}
            >
              Rename
            </button>
            <button
              type="button"
              className="mini-button"
              data-testid="model-remove"
              title="Remove from the library; the file stays (Delete)"
              disabled={busy !== undefined}
              onClick={() => onConfirm(true)}
            >
              {busy === 'remove' ? 'Removing…' : 'Remove'}
            </button>
          </span>
        </div>
        <div className="model-facts-line">
          <span className="model-facts">
            <span data-testid="model-arch" title={h.architectureSupported ? 'architecture' : 'architecture not supported by this llama.cpp build'}>
              {h.architecture}
              {!h.architectureSupported && ' (unsupported)'}
            </span>
            <span data-testid="model-params" title={`${formatCount(h.parameterCount)} parameters`}>
              {formatParams(h.parameterCount)}
            </span>
            {isModel ? (
              <>
                <span data-testid="model-quant" title="quantization / file type">
                  {quantization(record)}
                </span>
                <span data-testid="model-context" title="trained context length">
                  ctx {formatContext(h.trainContextLength)}
                </span>
                <span data-testid="model-template" title={h.chatTemplate ? 'the file carries a chat template' : 'no chat template in the file'}>
                  template {h.chatTemplate ? 'yes' : 'no'}
                </span>
              </>
            ) : (
              <span data-testid="model-lora" title="LoRA rank, alpha and adapted matrices">
                {h.adapterType ?? 'adapter'} r{h.loraRank ?? '?'} α{h.loraAlpha ?? '?'}
                {h.adapterTargets !== null && ` · ${formatCount(h.adapterTargets)} matrices`}
              </span>
            )}
            <span data-testid="model-size">{formatBytes(h.sizeBytes)}</span>
            {record.parts.length > 1 && (
              <span data-testid="model-parts" title={record.parts.map((p) => p.path).join('\n')}>
                {record.parts.length} parts
              </span>
            )}
          </span>
          <span className="model-file muted" title={record.path}>
            {baseName(record.path)}
          </span>
        </div>
        <div className="model-sub">
          {isModel &&
            (fit ? (
              <>
                <span className={`tag fit-${fit.verdict}`} data-testid="model-fit" data-verdict={fit.verdict}>
                  {FIT_LABEL[fit.verdict]}
                </span>
                <span className="model-fit-summary" data-testid="model-fit-summary" title={`estimated ${fit.estimatedAt}; score ${fit.score.toFixed(2)}`}>
                  {fit.summary}
                </span>
              </>
            ) : (
              <span className="muted" data-testid="model-fit-summary">
                no fit estimate
              </span>
            ))}
          {!isModel && base && (
            <span className="adapter-base">
              <span className="muted">base</span>
              {base.candidates.length === 0 && base.modelId === null ? (
                <span className="muted" data-testid="adapter-base-none">
                  no model in the library fits this adapter
                  {h.baseModelHint ? ` (made for ${h.baseModelHint})` : ''}
                </span>
              ) : (
                <select
                  className="text-input adapter-base-select"
                  data-testid="adapter-base"
                  aria-label={`Base model for ${record.name}`}
                  value={base.modelId ?? ''}
                  disabled={busy === 'base'}
                  onChange={(e) => void setAdapterBase(record.id, e.target.value === '' ? null : Number(e.target.value))}
                >
                  <option value="">{base.modelId === null ? 'choose base…' : 'automatic matching'}</option>
                  {[...new Set([...(base.modelId !== null ? [base.modelId] : []), ...base.candidates])].map((id) => (
                    <option key={id} value={id}>
                      {modelNames.get(id) ?? `model ${id}`}
                      {id === base.modelId && base.chosenBy ? ` (${base.chosenBy === 'user' ? 'chosen' : 'matched'})` : ''}
                    </option>
                  ))}
                </select>
              )}
            </span>
          )}
        </div>
        {record.status !== 'ok' && (
          <div className="model-status-detail" data-testid="model-status-detail">
            {record.status === 'missing' ? 'Missing: ' : 'Changed on disk: '}
            {record.statusDetail ?? record.path}
            {record.status === 'changed' && <span className="muted"> · Rescan with “re-read changed” to read it again</span>}
          </div>
        )}
        {load && (
          <div className="model-load-line">
            <progress className="run-progress" data-testid="model-load-progress" data-state={load.status} value={load.progress} max={1} />
            <span data-testid="model-load-state" className={load.status === 'failed' ? 'status-failed' : undefined}>
              {load.status === 'loading' && `Loading ${Math.round(load.progress * 100)}%`}
              {load.status === 'done' && `Loaded${load.loadMs !== null ? ` in ${formatMs(load.loadMs)}` : ''}`}
              {load.status === 'failed' && 'Load failed'}
              {load.status === 'cancelled' && 'Load cancelled'}
            </span>
            {loading && (
              <button type="button" className="mini-button" data-testid="model-load-cancel" onClick={() => void cancelLoad(record.path)}>
                Cancel
              </button>
            )}
          </div>
        )}
        {load?.error && load.status === 'failed' && <ErrorNote error={load.error} testId="model-load-error" />}
        {confirming && (
          <div className="model-confirm" role="alertdialog" aria-label={`Remove ${record.name}?`}>
            <span>Remove {record.name} from the library? The file stays on disk; configurations using it are removed.</span>
            <button
              type="button"
              className="mini-button danger"
              data-testid="model-remove-confirm"
              autoFocus
              onClick={() => {
                onConfirm(false);
                void remove(record.id);
              }}
            >
              Remove
            </button>
            <button type="button" className="mini-button" data-testid="model-remove-cancel" onClick={() => onConfirm(false)}>
              Keep
            </button>
          </div>
        )}
        {error && (
          <div className="run-action-error">
            <ErrorNote error={error} testId="model-error" />
            <button type="button" className="link-button" onClick={() => dismissRowError(record.id)}>
              Dismiss
            </button>
          </div>
        )}
      </div>
    </div>
  );
}
