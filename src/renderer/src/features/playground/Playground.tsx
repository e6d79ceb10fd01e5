import type { KeyboardEvent, ReactNode } from 'react';
import { isJinjaChatTemplate, type GenerateOutput } from '../../../../shared/models';
import { CHAT_TEMPLATE_CHOICES, CUT_CHOICES } from '../../lib/promptChoices';
import { formatCount } from '../../lib/format';
import { baseName, formatMs } from '../models/modelFormat';
import { useModels } from '../models/modelsStore';
import { usePlayground, type ModelChoice, type PlaygroundField, type PlaygroundForm } from './playgroundStore';
import { ErrorNote } from '../../ui/ErrorNote';
import { FormField } from '../../ui/FormField';
import { Pane } from '../../ui/Pane';
import './playground.css';

export const PLAYGROUND_PROMPT_ID = 'playground-prompt';

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

/** Try a model on one prompt: streamed output, the figures, and the exact prompt the model saw. */
export function Playground() {
  const form = usePlayground((s) => s.form);
  const errors = usePlayground((s) => s.errors);
  const requestId = usePlayground((s) => s.requestId);
  const stopping = usePlayground((s) => s.stopping);
  const output = usePlayground((s) => s.output);
  const result = usePlayground((s) => s.result);
  const error = usePlayground((s) => s.error);
  const list = useModels((s) => s.list);
  const configs = useModels((s) => s.configs);
  const { set, toggleAdapter, setScale, generate, stop } = usePlayground.getState();
  const running = requestId !== null;
  const choice = form.choice;
  const config = choice?.kind === 'config' ? configs?.find((c) => c.id === choice.id) : undefined;
  const chosenModel = choice?.kind === 'model' ? list?.models.find((m) => m.id === choice.id) : undefined;
  const adapters = list?.adapters ?? [];

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey) {
      event.preventDefault();
      void generate();
    } else if (event.key === 'Escape' && running) {
      event.preventDefault();
      void stop();
    }
  };

  const field = (name: PlaygroundField, label: ReactNode, control: ReactNode, className = '') => (
    <FormField htmlFor={`playground-${name}`} label={label} error={errors[name]} errorField={name} className={className}>
      {control}
    </FormField>
  );
  const text = (name: keyof PlaygroundForm & PlaygroundField, testId: string, placeholder?: string) => (
    <input
      id={`playground-${name}`}
      data-testid={testId}
      className="text-input"
      type="text"
      inputMode="decimal"
      spellCheck={false}
      autoComplete="off"
      placeholder={placeholder}
      value={form[name] as string}
      aria-invalid={errors[name] ? true : undefined}
      onChange={(e) => set(name, e.target.value)}
    />
  );

  return (
    <Pane title="Playground" label="Playground" className="playground-pane">
      <div className="playground" data-testid="playground" onKeyDown={onKeyDown}>
        <div className="playground-form">
          <div className="playground-model-row">
            {field(
              'model',
              'Model',
              <select
                id="playground-model"
                data-testid="playground-model"
                className="text-input"
                value={choiceValue(choice)}
                onChange={(e) => set('choice', parseChoice(e.target.value))}
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
              </select>,
              'grow',
            )}
            {choice?.kind === 'path' && (
              <FormField htmlFor="playground-model-path" label="File" className="grow">
                <input
                  id="playground-model-path"
                  data-testid="playground-model-path"
                  className="text-input mono"
                  type="text"
                  spellCheck={false}
                  autoComplete="off"
                  placeholder="/path/to/model.gguf"
                  value={form.path}
                  onChange={(e) => set('path', e.target.value)}
                />
              </FormField>
            )}
          </div>
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
          {choice?.kind !== 'config' && adapters.length > 0 && (
            <fieldset className={`playground-adapters${errors.adapters ? ' invalid' : ''}`} data-testid="playground-adapters">
              <legend>LoRA adapters</legend>
              {adapters.map((a) => {
                const state = form.adapters[a.id];
                const forOther = chosenModel && a.base?.modelId !== chosenModel.id && !a.base?.candidates.includes(chosenModel.id);
                return (
                  <div key={a.id} className="playground-adapter" data-testid="playground-adapter" data-id={a.id}>
                    <label className="check" title={a.path}>
                      <input
                        type="checkbox"
                        data-testid="playground-adapter-toggle"
                        checked={state?.on ?? false}
                        onChange={(e) => toggleAdapter(a.id, e.target.checked)}
                      />
                      {a.name}
                      {forOther && <span className="muted"> (made for another model)</span>}
                    </label>
                    <label className="muted" htmlFor={`playground-adapter-scale-${a.id}`}>
                      scale
                    </label>
                    <input
                      id={`playground-adapter-scale-${a.id}`}
                      data-testid="playground-adapter-scale"
                      className="text-input narrow"
                      type="text"
                      inputMode="decimal"
                      value={state?.scale ?? '1'}
                      onChange={(e) => setScale(a.id, e.target.value)}
                    />
                  </div>
                );
              })}
              {errors.adapters && (
                <span className="field-error" data-testid="field-error" data-field="adapters" role="alert">
                  {errors.adapters}
                </span>
              )}
            </fieldset>
          )}
          <label className="check">
            <input type="checkbox" data-testid="playground-chat" checked={form.chat} onChange={(e) => set('chat', e.target.checked)} />
            through the model’s chat template (off: the user text is the raw prompt)
          </label>
          {form.chat && choice?.kind !== 'config' && (
            <div className="playground-template">
              {field(
                'chatTemplate',
                'Chat template',
                <select
                  id="playground-chatTemplate"
                  data-testid="playground-chat-template"
                  className="text-input"
                  value={form.chatTemplate}
                  onChange={(e) => set('chatTemplate', e.target.value)}
                >
                  {CHAT_TEMPLATE_CHOICES.map((c) => (
                    <option key={c.value} value={c.value}>
                      {c.label}
                    </option>
                  ))}
                </select>,
              )}
              {form.chatTemplate === 'jinja' && (
                <textarea
                  aria-label="Jinja chat template"
                  data-testid="playground-chat-template-jinja"
                  className="text-input mono"
                  rows={3}
                  spellCheck={false}
                  placeholder="{% for m in messages %}…{% endfor %}{% if add_generation_prompt %}…{% endif %}"
                  value={form.chatTemplateJinja}
                  onChange={(e) => set('chatTemplateJinja', e.target.value)}
                />
              )}
            </div>
          )}
          {form.chat && (
            <FormField htmlFor="playground-system" label="System prompt">
              <textarea
                id="playground-system"
                data-testid="playground-system"
                className="text-input mono"
                rows={2}
                spellCheck={false}
                value={form.system}
                onChange={(e) => set('system', e.target.value)}
              />
            </FormField>
          )}
          {field(
            'prompt',
            form.chat ? 'User prompt' : 'Prompt',
            <textarea
              id={PLAYGROUND_PROMPT_ID}
              data-testid="playground-prompt"
              className="text-input mono"
              rows={4}
              spellCheck={false}
              value={form.prompt}
              aria-invalid={errors.prompt ? true : undefined}
              onChange={(e) => set('prompt', e.target.value)}
            />,
          )}
          <div className="playground-params">
            {field('maxTokens', 'Max tokens', text('maxTokens', 'playground-max-tokens'))}
            {field('temperature', 'Temperature', text('temperature', 'playground-temperature', '0'))}
            {field('topP', 'Top-p', text('topP', 'playground-top-p', 'default'))}
            {field('topK', 'Top-k', text('topK', 'playground-top-k', 'default'))}
            {field('seed', 'Seed', text('seed', 'playground-seed', 'random'))}
            {choice?.kind !== 'config' && field('contextSize', 'Context', text('contextSize', 'playground-context', 'default'))}
            {field(
              'stop',
              'Stop strings',
              <textarea
                id="playground-stop"
                data-testid="playground-stop-strings"
                className="text-input mono"
                rows={1}
                spellCheck={false}
                placeholder="per line"
                value={form.stop}
                onChange={(e) => set('stop', e.target.value)}
              />,
            )}
            <FormField htmlFor="playground-truncate" label="Long prompt">
              <select
                id="playground-truncate"
                data-testid="playground-truncate"
                className="text-input"
                value={form.truncate}
                onChange={(e) => set('truncate', e.target.value as PlaygroundForm['truncate'])}
              >
                <option value="error">error</option>
                {CUT_CHOICES.map((c) => (
                  <option key={c.value} value={c.value}>
                    {c.label}
                  </option>
                ))}
              </select>
            </FormField>
          </div>
          <div className="playground-buttons">
            <button
              type="button"
              className="button primary"
              data-testid="playground-generate"
              disabled={running}
              onClick={() => void generate()}
              title="Generate (Ctrl+Enter)"
            >
              Generate
            </button>
            <button
              type="button"
              className="button"
              data-testid="playground-stop"
              disabled={!running || stopping}
              onClick={() => void stop()}
              title="Stop (Esc)"
            >
              {stopping ? 'Stopping…' : 'Stop'}
            </button>
            <span className="muted playground-keys">
              <kbd>Ctrl</kbd>
              <kbd>Enter</kbd> generate · <kbd>Esc</kbd> stop
            </span>
          </div>
        </div>
        <div className="playground-result">
          <div className="field-label">
            Output
            {running && (
              <span className="muted" data-testid="playground-streaming">
                {' '}
                · streaming, {formatCount(output.length)} characters so far
              </span>
            )}
          </div>
          <pre
            className="text playground-output"
            data-testid="playground-output"
            data-state={running ? 'running' : result ? 'done' : error ? 'failed' : 'idle'}
          >
            {output}
          </pre>
          {error && <ErrorNote error={error} testId="playground-error" />}
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
                <summary>Rendered prompt ({formatCount(result.promptTokens)} tokens)</summary>
                <pre className="text mono" data-testid="playground-rendered-text">
                  {result.renderedPrompt}
                </pre>
              </details>
            </>
          )}
        </div>
        <ConfigSection />
      </div>
    </Pane>
  );
}

const TRUNCATION_LABEL: Record<NonNullable<GenerateOutput['truncation']>['policy'], string> = {
  'keep-start': 'the end was cut',
  'keep-end': 'the start was cut',
  'keep-both': 'the middle was cut',
};

/** A chat template override as one short label: its name, or "custom Jinja" for template text. */
function templateLabel(template: string): string {
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

/** Save what the playground runs as a named configuration; list and remove configurations. */
function ConfigSection() {
  const configName = usePlayground((s) => s.configName);
  const saving = usePlayground((s) => s.saving);
  const saveError = usePlayground((s) => s.saveError);
  const nameError = usePlayground((s) => s.errors.configName);
  const saved = usePlayground((s) => s.saved);
  const configs = useModels((s) => s.configs);
  const configsError = useModels((s) => s.configsError);
  const { setConfigName, saveConfig, set } = usePlayground.getState();
  const { removeConfig, refreshConfigs } = useModels.getState();

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
        <input
          data-testid="playground-config-name"
          className="text-input grow"
          type="text"
          aria-label="Configuration name"
          placeholder="Name, to save the chosen model + adapters + settings"
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
      {configsError && <ErrorNote error={configsError} onRetry={() => void refreshConfigs()} testId="model-configs-error" />}
      {configs && configs.length > 0 && (
        <ul className="model-configs" data-testid="model-configs">
          {configs.map((c) => (
            <li key={c.id} className="model-config-row" data-testid="model-config-row" data-id={c.id}>
              <span className="row-title">{c.name}</span>
              <span className="muted">
                {c.modelName}
                {c.adapters.map((a) => ` + ${a.name} ×${a.scale}`).join('')}
              </span>
              <button type="button" className="mini-button" data-testid="model-config-use" onClick={() => set('choice', { kind: 'config', id: c.id })}>
                Use
              </button>
              <button
                type="button"
                className="mini-button"
                data-testid="model-config-remove"
                onClick={() => {
                  const choice = usePlayground.getState().form.choice;
                  if (choice?.kind === 'config' && choice.id === c.id) set('choice', null);
                  void removeConfig(c.id);
                }}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      {configs && configs.length === 0 && <p className="field-hint">No configurations yet.</p>}
    </div>
  );
}
