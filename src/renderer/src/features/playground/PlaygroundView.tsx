/**
 * The Playground view (Ctrl+5): one prompt (typed, or a benchmark item's rendered prompt with its
 * few-shot turns) run on 1–4 models side by side, the gold beside them, the shared decoding and
 * load settings, configurations, and the history of generations. Ctrl+Enter generates, Esc cancels.
 */
import { useEffect, type KeyboardEvent, type ReactNode } from 'react';
import { CHAT_TEMPLATE_CHOICES, CUT_CHOICES } from '../../lib/promptChoices';
import { useModels } from '../models/modelsStore';
import { ConfigSection } from './ConfigSection';
import { HistoryList } from './HistoryList';
import { GoldColumn, ItemCard } from './ItemCard';
import { ModelColumn } from './ModelColumn';
import { MAX_COLUMNS, usePlayground, type PlaygroundField, type PlaygroundForm } from './playgroundStore';
import { FormField } from '../../ui/FormField';
import { LoadSettingsFields } from '../../ui/LoadSettingsFields';
import './playground.css';

export const PLAYGROUND_PROMPT_ID = 'playground-prompt';

export function PlaygroundView() {
  const form = usePlayground((s) => s.form);
  const errors = usePlayground((s) => s.errors);
  const generating = usePlayground((s) => s.generating);
  const hasItem = usePlayground((s) => s.item !== null);
  const loadForm = useModels((s) => s.loadForm);
  const loadErrors = useModels((s) => s.loadFormErrors);
  const { set, setTurn, removeTurn, generate, cancelAll, addColumn } = usePlayground.getState();

  // The model pickers list the library and its configurations as they are now.
  useEffect(() => {
    void useModels.getState().init();
  }, []);

  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey) {
      event.preventDefault();
      void generate();
    } else if (event.key === 'Escape' && generating) {
      event.preventDefault();
      void cancelAll();
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
  const usesConfigOnly = form.columns.every((c) => c.choice?.kind === 'config');

  return (
    <main className="playground-view" data-testid="playground" onKeyDown={onKeyDown}>
      <div className="playground-form" aria-label="Prompt and settings" role="region">
        <h2 className="pane-title">Playground</h2>
        <ItemCard />
        <label className="check">
          <input type="checkbox" data-testid="playground-chat" checked={form.chat} onChange={(e) => set('chat', e.target.checked)} />
          through the chat template (off: a raw prompt)
        </label>
        {form.chat && !usesConfigOnly && (
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
        {form.chat && form.turns.length > 0 && (
          <fieldset className="playground-turns" data-testid="playground-turns">
            <legend>Few-shot turns ({form.turns.length})</legend>
            {form.turns.map((t, i) => (
              <div key={i} className="playground-turn" data-testid="playground-turn" data-role={t.role}>
                <div className="playground-turn-head">
                  <label htmlFor={`playground-turn-${i}`} className="field-label">
                    {t.role === 'user' ? 'User' : 'Assistant'} · {Math.floor(i / 2) + 1}
                  </label>
                  <button type="button" className="mini-button" aria-label={`Remove turn ${i + 1}`} onClick={() => removeTurn(i)}>
                    ✕
                  </button>
                </div>
                <textarea
                  id={`playground-turn-${i}`}
                  className="text-input mono"
                  rows={Math.min(6, Math.max(1, Math.ceil(t.content.length / 70)))}
                  spellCheck={false}
                  value={t.content}
                  onChange={(e) => setTurn(i, e.target.value)}
                />
              </div>
            ))}
          </fieldset>
        )}
        {field(
          'prompt',
          form.chat ? 'User prompt' : 'Prompt',
          <textarea
            id={PLAYGROUND_PROMPT_ID}
            data-testid="playground-prompt"
            className="text-input mono"
            rows={form.prompt.length > 300 ? 10 : 4}
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
          {!usesConfigOnly && field('contextSize', 'Context', text('contextSize', 'playground-context', 'default'))}
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
        <fieldset className="playground-load">
          <legend>Load settings (the runtime panel’s; a configuration brings its own)</legend>
          <LoadSettingsFields
            form={loadForm}
            errors={loadErrors}
            onChange={(patch) => useModels.getState().setLoadForm(patch)}
            hint="A model already loaded keeps the GPU layers it was loaded with"
          />
        </fieldset>
        <div className="playground-buttons">
          <button
            type="button"
            className="button primary"
            data-testid="playground-generate"
            disabled={generating}
            onClick={() => void generate()}
            title="Generate on every model (Ctrl+Enter)"
          >
            {form.columns.length > 1 ? `Generate on ${form.columns.length} models` : 'Generate'}
          </button>
          <button
            type="button"
            className="button"
            data-testid="playground-stop"
            disabled={!generating}
            onClick={() => void cancelAll()}
            title="Cancel every column (Esc)"
          >
            Stop all
          </button>
          <span className="muted playground-keys">
            <kbd>Ctrl</kbd>
            <kbd>Enter</kbd> generate · <kbd>Esc</kbd> stop
          </span>
        </div>
        <ConfigSection />
      </div>
      <div className="playground-results" role="region" aria-label="Models and outputs">
        <div className="playground-results-bar">
          <span className="section-label">
            Models ({form.columns.length} of {MAX_COLUMNS})
          </span>
          <span className="muted">{form.columns.length > 1 && 'They generate one after another, so each model’s figures are its own.'}</span>
          <button
            type="button"
            className="mini-button"
            data-testid="playground-add-column"
            disabled={form.columns.length >= MAX_COLUMNS || generating}
            onClick={() => addColumn()}
          >
            Add model
          </button>
        </div>
        <div className="playground-columns" style={{ gridTemplateColumns: `repeat(${form.columns.length + (hasItem ? 1 : 0)}, minmax(220px, 1fr))` }}>
          {form.columns.map((c, i) => (
            <ModelColumn key={c.key} setup={c} position={i + 1} before={i > 0 ? (form.columns[i - 1] ?? null) : null} removable={form.columns.length > 1} />
          ))}
          <GoldColumn />
        </div>
        <HistoryList />
      </div>
    </main>
  );
}
