/**
 * One Playground column: its model picker (library model, configuration or file, with adapters),
 * where its generation stands (waiting, loading with progress, streaming), its output, figures,
 * cancel, and its error where it happened.
 */
import { isJinjaChatTemplate, type GenerateOutput } from '../../../../shared/models';
import { formatCount } from '../../lib/format';
import { baseName, formatMs } from '../models/modelFormat';
import { useModels } from '../models/modelsStore';
import { BaseWarnings, PairingWarnings } from '../models/AdapterBaseWarnings';
import { columnLabel, isActive, usePlayground, type ColumnSetup, type ModelChoice } from './playgroundStore';
import { ErrorNote } from '../../ui/ErrorNote';
import { FormField } from '../../ui/FormField';

function choiceValue(choice: ModelChoice): string {
  if (!choice) return '';
  return choice.kind === 'path' ? 'path' : `${choice.kind === 'model' ? 'm' : 'c'}:${choice.id}`;
}

function parseChoice(value: string): ModelChoice {
  if (value === 'path') return { kind: 'path' };
  const m = /^([mc]):(\d+)$/.exec(value);
  if (!m) return null;
  return { kind: m[1] === 'm' ? 'model' : 'config', id: Number(m[2]) };
}

const STOP_LABEL: Record<string, string> = { maxTokens: 'max tokens', eos: 'end of text', stop: 'stop string', abort: 'stopped' };

const TRUNCATION_LABEL: Record<NonNullable<GenerateOutput['truncation']>['policy'], string> = {
  'keep-start': 'the end was cut',
  'keep-end': 'the start was cut',
  'keep-both': 'the middle was cut',
};

/** A chat template override as one short label: its name, or "custom Jinja" for template text. */
export function templateLabel(template: string): string {
  return isJinjaChatTemplate(template) ? 'custom Jinja' : template;
}

function Figure({ name, label, value }: { name: string; label: string; value: string }) {
  return (
    <div className="fact">
      <dt>{label}</dt>
      <dd data-figure={name}>{value}</dd>
    </div>
  );
}

interface ModelColumnProps {
  setup: ColumnSetup;
  /** 1-based, for labels ("Model 2"). */
  position: number;
  /** The column that runs just before this one, for "waiting for …". */
  before: ColumnSetup | null;
  removable: boolean;
}

export function ModelColumn({ setup, position, before, removable }: ModelColumnProps) {
  const run = usePlayground((s) => s.runs[setup.key]);
  const errors = usePlayground((s) => s.columnErrors[setup.key]);
  const list = useModels((s) => s.list);
  const configs = useModels((s) => s.configs);
  const { setChoice, setPath, toggleAdapter, setScale, removeColumn, cancel } = usePlayground.getState();
  const choice = setup.choice;
  const config = choice?.kind === 'config' ? configs?.find((c) => c.id === choice.id) : undefined;
  const chosenModel = choice?.kind === 'model' ? list?.models.find((m) => m.id === choice.id) : undefined;
  const adapters = list?.adapters ?? [];
  const status = run?.status ?? 'idle';
  const active = isActive(status);
  const result = run?.result ?? null;
  const output = run?.output ?? '';
  const id = (name: string) => `playground-${name}-${setup.key}`;
  const state = status === 'starting' || status === 'loading' || status === 'running' ? 'running' : status;

  return (
    <section className="playground-column" data-testid="playground-column" data-key={setup.key} data-status={status} aria-label={`Model ${position}`}>
      <div className="playground-column-head">
        <FormField htmlFor={id('model')} label={`Model ${position}`} error={errors?.model} errorField="model" className="grow">
          <select
            id={id('model')}
            data-testid="playground-model"
            className="text-input"
            value={choiceValue(choice)}
            disabled={active}
            aria-invalid={errors?.model ? true : undefined}
            onChange={(e) => setChoice(setup.key, parseChoice(e.target.value))}
          >
            <option value="">choose…</option>
            {(list?.models.length ?? 0) > 0 && (
              <optgroup label="Library models">
                {list?.models.map((m) => (
                  <option key={m.id} value={`m:${m.id}`} disabled={m.status === 'missing'}>
                    {m.name}
                    {m.status !== 'ok' ? ` (${m.status})` : ''}
                  </option>
                ))}
              </optgroup>
            )}
            {(configs?.length ?? 0) > 0 && (
              <optgroup label="Configurations">
                {configs?.map((c) => (
                  <option key={c.id} value={`c:${c.id}`}>
                    {c.name}
                  </option>
                ))}
              </optgroup>
            )}
            <option value="path">A .gguf file by path…</option>
          </select>
        </FormField>
        <span className="playground-column-actions">
          {active && (
            <button
              type="button"
              className="mini-button"
              data-testid="playground-column-cancel"
              disabled={run?.stopping}
              title="Cancel this column (Esc cancels all)"
              onClick={() => void cancel(setup.key)}
            >
              {run?.stopping ? 'Stopping…' : status === 'waiting' ? 'Skip' : 'Cancel'}
            </button>
          )}
          {removable && (
            <button
              type="button"
              className="mini-button"
              data-testid="playground-column-remove"
              disabled={active}
              aria-label={`Remove model ${position}`}
              title="Remove this column"
              onClick={() => removeColumn(setup.key)}
            >
              ✕
            </button>
          )}
        </span>
      </div>
      {choice?.kind === 'path' && (
        <FormField htmlFor={id('path')} label="File">
          <input
            id={id('path')}
            data-testid="playground-model-path"
            className="text-input mono"
            type="text"
            spellCheck={false}
            autoComplete="off"
            placeholder="/path/to/model.gguf"
            value={setup.path}
            onChange={(e) => setPath(setup.key, e.target.value)}
          />
        </FormField>
      )}
      {config && (
        <p className="playground-config-note muted" data-testid="playground-config-note">
          {config.modelName}
          {config.adapters.map((a) => ` + ${a.name} ×${a.scale}`).join('')} · GPU layers {String(config.settings.gpuLayers)}
          {config.settings.threads !== undefined && ` · threads ${config.settings.threads}`}
          {config.settings.contextSize !== undefined && ` · context ${config.settings.contextSize}`}
          {config.settings.batchSize !== undefined && ` · batch ${config.settings.batchSize}`}
          {config.settings.flashAttention !== undefined && ` · flash attention ${config.settings.flashAttention ? 'on' : 'off'}`}
          {config.settings.chatTemplate !== undefined && ` · chat template ${templateLabel(config.settings.chatTemplate)}`}
        </p>
      )}
      {config && <BaseWarnings warnings={config.warnings} />}
      {choice?.kind !== 'config' && adapters.length > 0 && (
        <fieldset className={`playground-adapters${errors?.adapters ? ' invalid' : ''}`} data-testid="playground-adapters">
          <legend>LoRA adapters</legend>
          {adapters.map((a) => {
            const on = setup.adapters[a.id];
            const forOther = chosenModel && a.base?.modelId !== chosenModel.id && !a.base?.candidates.includes(chosenModel.id);
            return (
              <div key={a.id} className="playground-adapter" data-testid="playground-adapter" data-id={a.id}>
                <label className="check" title={a.path}>
                  <input
                    type="checkbox"
                    data-testid="playground-adapter-toggle"
                    checked={on?.on ?? false}
                    onChange={(e) => toggleAdapter(setup.key, a.id, e.target.checked)}
                  />
                  {a.name}
                  {forOther && <span className="muted"> (made for another model)</span>}
                </label>
                <label className="muted" htmlFor={id(`adapter-scale-${a.id}`)}>
                  scale
                </label>
                <input
                  id={id(`adapter-scale-${a.id}`)}
                  data-testid="playground-adapter-scale"
                  className="text-input narrow"
                  type="text"
                  inputMode="decimal"
                  value={on?.scale ?? '1'}
                  onChange={(e) => setScale(setup.key, a.id, e.target.value)}
                />
              </div>
            );
          })}
          {errors?.adapters && (
            <span className="field-error" data-testid="field-error" data-field="adapters" role="alert">
              {errors.adapters}
            </span>
          )}
          {chosenModel && <PairingWarnings modelId={chosenModel.id} adapterIds={adapters.filter((a) => setup.adapters[a.id]?.on).map((a) => a.id)} />}
        </fieldset>
      )}
      <div className="playground-column-status" data-testid="playground-column-status" aria-live="polite">
        {status === 'waiting' && <span className="muted">waiting for {before ? columnLabel(before) : 'the column before'} to finish…</span>}
        {status === 'starting' && <span className="muted">starting {columnLabel(setup)}…</span>}
        {status === 'loading' && (
          <span className="playground-loading" data-testid="playground-loading">
            loading model… {Math.round((run?.loadProgress ?? 0) * 100)}%
            <progress max={1} value={run?.loadProgress ?? 0} aria-label={`Loading ${columnLabel(setup)}`} />
          </span>
        )}
        {status === 'running' && (
          <span className="muted" data-testid="playground-streaming">
            streaming, {formatCount(output.length)} characters so far
          </span>
        )}
        {status === 'cancelled' && <span className="muted">cancelled before it started generating</span>}
        {run?.fromHistory && <span className="muted">from the history</span>}
      </div>
      <pre
        className="text playground-output"
        data-testid="playground-output"
        data-state={state}
        tabIndex={0}
        role="region"
        aria-label={`Output of model ${position}`}
      >
        {output}
      </pre>
      {run?.error && <ErrorNote error={run.error} testId="playground-error" />}
      {result && (
        <>
          <div data-testid="playground-figures">
            <dl className="facts playground-figures">
              <Figure name="promptTokens" label="Prompt tokens" value={formatCount(result.promptTokens)} />
              <Figure name="outputTokens" label="Output tokens" value={formatCount(result.outputTokens)} />
              <Figure name="timeToFirstToken" label="First token" value={formatMs(result.timeToFirstTokenMs)} />
              <Figure name="tokensPerSecond" label="Tokens/s" value={result.tokensPerSecond.toFixed(1)} />
              <Figure name="totalTime" label="Total" value={formatMs(result.totalMs)} />
              <Figure name="stopReason" label="Stopped by" value={STOP_LABEL[result.stopReason] ?? result.stopReason} />
            </dl>
            <p className="playground-ran" data-figure="model">
              <span className="muted">Ran </span>
              {baseName(result.modelPath)}
              {result.adapters.map((a) => ` + ${baseName(a.path)} ×${a.scale}`).join('')} · GPU layers {result.settings.gpuLayers}
              {result.settings.contextSize !== null && ` · context ${result.settings.contextSize}`}
              {result.settings.threads !== null && ` · threads ${result.settings.threads}`}
              {result.settings.batchSize !== null && ` · batch ${result.settings.batchSize}`}
              {result.settings.flashAttention !== null &&
                ` · flash attention ${result.settings.flashAttention === 'auto' ? 'auto' : result.settings.flashAttention ? 'on' : 'off'}`}
              {result.settings.chatTemplate !== null && ` · chat template ${templateLabel(result.settings.chatTemplate)}`}
              {result.ignoredSettings.length > 0 && <span className="muted"> · not applied: {result.ignoredSettings.join(', ')}</span>}
            </p>
          </div>
          {result.truncation && (
            <p className="playground-ran warn-text" data-testid="playground-truncation">
              The prompt was cut to fit: {formatCount(result.truncation.removedTokens)} of {formatCount(result.truncation.originalTokens)} tokens removed (
              {TRUNCATION_LABEL[result.truncation.policy]}).
            </p>
          )}
          <details className="hardware playground-rendered" data-testid="playground-rendered">
            <summary>Prompt as the model saw it ({formatCount(result.promptTokens)} tokens, after the chat template)</summary>
            <pre className="text mono" data-testid="playground-rendered-text">
              {result.renderedPrompt}
            </pre>
          </details>
        </>
      )}
    </section>
  );
}
