import { lazy, Suspense, useEffect, useState } from 'react';
import type { SplitName, TaskConfig } from '../../../../shared/domain';
import { toErrorData } from '../../../../shared/errors';
import type { PromptPreview, PromptTemplateSpec } from '../../../../shared/runs';
import { getClient } from '../../client/current';
import { parseTemplate } from './templateJson';

const TemplateMonaco = lazy(() => import('./TemplateMonaco'));

const DEBOUNCE_MS = 300;

interface TemplateSectionProps {
  /** The JSON in the editor. */
  text: string;
  /** Whether the JSON was edited by hand (and so replaces the Prompt fields). */
  edited: boolean;
  onText(text: string): void;
  /** Back to the template the Prompt fields describe. */
  onReset(): void;
  onSubmit(): void;
  /** The item previewed: the first item of the first chosen task. */
  taskId: number | null;
  config: '' | TaskConfig;
  split: '' | SplitName;
}

type PreviewState = { kind: 'idle' } | { kind: 'loading' } | { kind: 'ok'; preview: PromptPreview } | { kind: 'error'; message: string };

/**
 * The prompt template as JSON in a Monaco editor, with a live preview of the prompt a run
 * would send for the first item of the first chosen task, and the template's hash.
 */
export function TemplateSection({ text, edited, onText, onReset, onSubmit, taskId, config, split }: TemplateSectionProps) {
  const parsed = parseTemplate(text);
  const template: PromptTemplateSpec | null = parsed.ok ? parsed.value : null;
  const key = template ? JSON.stringify(template) : null;
  const [state, setState] = useState<PreviewState>({ kind: 'idle' });
  // Nothing to preview (bad JSON, no task): back to idle at once, adjusting state on the change
  // (https://react.dev/learn/you-might-not-need-an-effect), not in an effect.
  const inactive = key === null || taskId === null;
  const [wasInactive, setWasInactive] = useState(inactive);
  if (inactive !== wasInactive) {
    setWasInactive(inactive);
    if (inactive) setState({ kind: 'idle' });
  }

  useEffect(() => {
    if (key === null || taskId === null) return;
    let live = true;
    const timer = setTimeout(() => {
      setState((s) => (s.kind === 'ok' ? s : { kind: 'loading' }));
      getClient()
        .previewPrompt({
          template: JSON.parse(key) as PromptTemplateSpec,
          taskId,
          ...(config !== '' ? { config } : {}),
          ...(split !== '' ? { split } : {}),
        })
        .then((preview) => {
          if (live) setState({ kind: 'ok', preview });
        })
        .catch((err: unknown) => {
          if (live) setState({ kind: 'error', message: toErrorData(err).message });
        });
    }, DEBOUNCE_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [key, taskId, config, split]);

  const error = !parsed.ok ? parsed.error : state.kind === 'error' ? state.message : null;
  const preview = state.kind === 'ok' && !error ? state.preview : null;

  return (
    <fieldset className="form-group template-group">
      <legend>Template</legend>
      <div className="template-editor-side">
        <div className="template-editor-head">
          <span className="muted">
            {edited ? 'Edited JSON: replaces the Prompt fields in the run.' : 'Follows the Prompt fields; edit to override (system, user, example, text…).'}
          </span>
          {edited && (
            <button type="button" className="button" data-testid="template-reset" onClick={onReset}>
              Reset to fields
            </button>
          )}
        </div>
        <div className="template-editor" data-testid="template-editor">
          <Suspense fallback={<span className="pane-note">Loading editor…</span>}>
            <TemplateMonaco value={text} onChange={onText} onSubmit={onSubmit} ariaLabel="Prompt template (JSON)" invalid={error !== null} />
          </Suspense>
        </div>
        {error && (
          <span className="field-error" data-testid="template-error" role="alert">
            {error}
          </span>
        )}
      </div>
      <div className="template-preview" data-testid="template-preview" aria-live="polite" tabIndex={0} role="region" aria-label="Prompt preview">
        {taskId === null && <p className="pane-note">Choose a task to preview its first item’s prompt.</p>}
        {taskId !== null && state.kind === 'loading' && <p className="pane-note">Rendering…</p>}
        {preview && (
          <>
            <p className="template-hash-line muted">
              Item #{preview.index} · hash <code data-testid="template-hash">{preview.templateHash}</code>
            </p>
            {'messages' in preview.prompt ? (
              preview.prompt.messages.map((m, i) => (
                <div key={i} className="template-message" data-testid="template-message" data-role={m.role}>
                  <span className="template-role">{m.role}</span>
                  <pre className="template-content">{m.content}</pre>
                </div>
              ))
            ) : (
              <div className="template-message" data-testid="template-message" data-role="text">
                <span className="template-role">text</span>
                <pre className="template-content">{preview.prompt.text}</pre>
              </div>
            )}
          </>
        )}
      </div>
    </fieldset>
  );
}
