/**
 * Saved model configurations: each with its model, adapters and base-model warnings; Remove asks
 * first, and a removed configuration can be brought back with Undo (keyboard: focus lands on it).
 */
import { useRef, useState, type KeyboardEvent } from 'react';
import type { ModelConfig } from '../../../../shared/models';
import { ErrorNote } from '../../ui/ErrorNote';
import { BaseWarnings } from './AdapterBaseWarnings';
import { useModels } from './modelsStore';

interface ModelConfigListProps {
  /** "Use" on a row (the Playground picks it); no button without it. */
  onUse?: (id: number) => void;
  /** Called once a configuration is removed (e.g. to clear pickers that chose it). */
  onRemoved?: (id: number) => void;
}

function focusRow(id: number): void {
  requestAnimationFrame(() =>
    document.querySelector<HTMLElement>(`[data-testid="model-config-row"][data-id="${id}"] [data-testid="model-config-remove"]`)?.focus(),
  );
}

export function ModelConfigList({ onUse, onRemoved }: ModelConfigListProps) {
  const configs = useModels((s) => s.configs);
  const configsError = useModels((s) => s.configsError);
  const removed = useModels((s) => s.removedConfig);
  const undoing = useModels((s) => s.undoingRemove);
  const { removeConfig, refreshConfigs, undoRemoveConfig, dismissRemovedConfig } = useModels.getState();
  const [confirming, setConfirming] = useState<number | null>(null);
  const undoRef = useRef<HTMLButtonElement>(null);
  const confirmRemove = async (c: ModelConfig) => {
    setConfirming(null);
    if (await removeConfig(c.id)) {
      onRemoved?.(c.id);
      // The removed row is gone: focus goes to Undo (rendered by now) instead of falling back to the page.
      requestAnimationFrame(() => undoRef.current?.focus());
    }
  };
  const undo = async () => {
    const saved = await undoRemoveConfig();
    if (saved) focusRow(saved.id);
  };
  const cancelKeys = (c: ModelConfig) => (e: KeyboardEvent) => {
    if (e.key !== 'Escape') return;
    e.preventDefault();
    e.stopPropagation();
    setConfirming(null);
    focusRow(c.id);
  };

  return (
    <div className="model-config-list">
      {removed && (
        <div className="undo-note" role="status" data-testid="config-undo">
          <span>Removed configuration “{removed.name}”.</span>
          <button ref={undoRef} type="button" className="mini-button" data-testid="config-undo-button" disabled={undoing} onClick={() => void undo()}>
            {undoing ? 'Restoring…' : 'Undo'}
          </button>
          <button type="button" className="link-button" data-testid="config-undo-dismiss" onClick={dismissRemovedConfig}>
            Dismiss
          </button>
        </div>
      )}
      {configsError && <ErrorNote error={configsError} onRetry={() => void refreshConfigs()} testId="model-configs-error" />}
      {configs && configs.length > 0 && (
        <ul className="model-configs" data-testid="model-configs">
          {configs.map((c) => (
            <li key={c.id} className="model-config-row" data-testid="model-config-row" data-id={c.id} data-warnings={c.warnings.length}>
              <div className="model-config-line">
                <span className="row-title">{c.name}</span>
                <span className="muted">
                  {c.modelName}
                  {c.adapters.map((a) => ` + ${a.name} ×${a.scale}`).join('')}
                </span>
                {onUse && (
                  <button type="button" className="mini-button" data-testid="model-config-use" onClick={() => onUse(c.id)}>
                    Use
                  </button>
                )}
                <button
                  type="button"
                  className="mini-button"
                  data-testid="model-config-remove"
                  aria-label={`Remove configuration ${c.name}`}
                  aria-expanded={confirming === c.id}
                  onClick={() => setConfirming(confirming === c.id ? null : c.id)}
                >
                  Remove
                </button>
              </div>
              <BaseWarnings warnings={c.warnings} />
              {confirming === c.id && (
                <div className="model-confirm" role="alertdialog" aria-label={`Remove configuration ${c.name}?`} onKeyDown={cancelKeys(c)}>
                  <span>Remove configuration “{c.name}”? Its model and adapters stay in the library.</span>
                  <button
                    type="button"
                    className="mini-button danger"
                    data-testid="model-config-remove-confirm"
                    autoFocus
                    onClick={() => void confirmRemove(c)}
                  >
                    Remove
                  </button>
                  <button
                    type="button"
                    className="mini-button"
                    data-testid="model-config-remove-cancel"
                    onClick={() => {
                      setConfirming(null);
                      focusRow(c.id);
                    }}
                  >
                    Keep
                  </button>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
      {configs && configs.length === 0 && <p className="field-hint">No configurations yet. Save one from the Playground.</p>}
    </div>
  );
}
