/** Saving a Playground column's model setup as a named configuration; listing, using and removing configurations. */
import { ModelConfigList } from '../models/ModelConfigList';
import { columnLabel, usePlayground } from './playgroundStore';
import { ErrorNote } from '../../ui/ErrorNote';

export function ConfigSection() {
  const configName = usePlayground((s) => s.configName);
  const saving = usePlayground((s) => s.saving);
  const saveError = usePlayground((s) => s.saveError);
  const nameError = usePlayground((s) => s.errors.configName);
  const saved = usePlayground((s) => s.saved);
  const columns = usePlayground((s) => s.form.columns);
  const configColumn = usePlayground((s) => s.configColumn);
  const { setConfigName, saveConfig, setConfigColumn, setChoice } = usePlayground.getState();

  return (
    <div className="playground-configs">
      <div className="section-label">Configurations</div>
      <form
        className="models-toolbar-form"
        onSubmit={(e) => {
          e.preventDefault();
          void saveConfig();
        }}
      >
        {columns.length > 1 && (
          <select
            className="text-input"
            aria-label="Column to save"
            data-testid="playground-config-column"
            value={configColumn}
            onChange={(e) => setConfigColumn(e.target.value)}
          >
            {columns.map((c, i) => (
              <option key={c.key} value={c.key}>
                {i + 1} · {columnLabel(c)}
              </option>
            ))}
          </select>
        )}
        <input
          data-testid="playground-config-name"
          className="text-input grow"
          type="text"
          aria-label="Configuration name"
          placeholder="Name, to save the column’s model + adapters + settings"
          value={configName}
          aria-invalid={nameError ? true : undefined}
          onChange={(e) => setConfigName(e.target.value)}
        />
        <button type="submit" className="button" data-testid="playground-save-config" disabled={saving}>
          {saving ? 'Saving…' : 'Save as configuration'}
        </button>
      </form>
      {nameError && (
        <span className="field-error" data-testid="field-error" data-field="configName" role="alert">
          {nameError}
        </span>
      )}
      {saveError && <ErrorNote error={saveError} testId="playground-save-error" />}
      {saved && (
        <p className="field-hint" data-testid="playground-saved">
          Saved “{saved.name}”.
        </p>
      )}
      <ModelConfigList
        onUse={(id) => setChoice(configColumn, { kind: 'config', id })}
        onRemoved={(id) => {
          for (const col of usePlayground.getState().form.columns) if (col.choice?.kind === 'config' && col.choice.id === id) setChoice(col.key, null);
        }}
      />
    </div>
  );
}
