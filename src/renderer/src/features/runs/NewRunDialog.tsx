import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent, type ReactNode } from 'react';
import type { TaskConfig, TaskSummary } from '../../../../shared/domain';
import { TASK_CONFIGS } from '../../../../shared/domain';
import { SPLIT_PREFERENCE } from '../../../../shared/enums';
import { toErrorData, type ApiErrorData } from '../../../../shared/errors';
import { CHAT_TEMPLATE_CHOICES, CUT_CHOICES } from '../../lib/promptChoices';
import { preflightFailures, type MetricMode, type RunPreflight, type RunSpec } from '../../../../shared/runs';
import { getClient } from '../../client/current';
import { formatCount, plural } from '../../lib/format';
import {
  chosenSplit,
  engineErrors,
  formFromSpec,
  formTemplate,
  initialRunForm,
  STRATEGIES,
  toRunSpec,
  validateRunForm,
  type RunErrors,
  type RunField,
  type RunForm,
} from './runSpecForm';
import { choiceKey, choiceLabel, formFromChoice, modelChoices } from './modelChoice';
import { parseTemplate, templateText } from './templateJson';
import { useLibrary } from '../library/libraryStore';
import { useModels } from '../models/modelsStore';
import { useRuns } from './runsStore';
import { Dialog } from '../../ui/Dialog';
import { DialogButtons } from '../../ui/DialogButtons';
import { ErrorNote } from '../../ui/ErrorNote';
import { FormField } from '../../ui/FormField';
import { TemplateSection } from './TemplateSection';

/** The dialog's fixed choices, named once (the select helper renders each). */
const SPLIT_CHOICES = [{ value: '', label: 'automatic (test first)' }, ...SPLIT_PREFERENCE.map((s) => ({ value: s, label: s }))];
const SELECTION_CHOICES = [
  { value: 'all', label: 'all items' },
  { value: 'limit', label: 'first N per task' },
  { value: 'sample', label: 'seeded sample of N per task' },
];
const FLASH_CHOICES = [
  { value: '', label: 'auto' },
  { value: 'on', label: 'on' },
  { value: 'off', label: 'off' },
];
const TRUNCATE_CHOICES = [{ value: 'error', label: 'fail the item' }, ...CUT_CHOICES];
const PROMPT_MODE_CHOICES = [
  { value: '', label: 'default' },
  { value: 'reference', label: 'reference (may draw the query)' },
  { value: 'corrected', label: 'corrected' },
];
const METRIC_MODE_CHOICES = [
  { value: 'reference' satisfies MetricMode, label: 'reference (as published)' },
  { value: 'corrected' satisfies MetricMode, label: 'corrected' },
];

/** The last form sent, so the next run starts from it (a new model, one more task…). */
let lastForm: RunForm | null = null;
/** The template JSON edited by hand for the last run sent (null: it followed the form). */
let lastTemplate: string | null = null;

export function NewRunDialog() {
  const dialog = useRuns((s) => s.dialog);
  if (dialog?.kind !== 'new') return null;
  // Keyed by the run duplicated from, so a second "Duplicate" starts from that run's settings.
  return <NewRunForm key={dialog.from?.runId ?? 'new'} from={dialog.from ?? null} />;
}

/** The pre-flight check of the spec last sent to it (its JSON), so a second Start goes ahead. */
type Preflight =
  | { state: 'checking'; spec: string; items: number }
  | { state: 'done'; spec: string; result: RunPreflight }
  | { state: 'failed'; spec: string; error: ApiErrorData };

/** The pre-flight's findings in words, with what the run will do about them. */
function PreflightNote({ check }: { check: Preflight }) {
  if (check.state === 'checking')
    return (
      <div className="preflight" data-testid="run-preflight" data-state="checking" role="status">
        <progress aria-label="Checking the prompts" /> Rendering and counting the prompts of {plural(check.items, 'item')}…
      </div>
    );
  if (check.state === 'failed')
    return (
      <div className="preflight preflight-warn" data-testid="run-preflight" data-state="failed">
        <ErrorNote error={check.error} />
        <span className="muted">The prompts could not be checked; Start runs anyway.</span>
      </div>
    );
  const r = check.result;
  const failing = preflightFailures(r);
  const cut = r.truncate !== 'error' ? r.overBudget : 0;
  const how =
    r.counting === 'model' ? 'counted with the model’s tokenizer and chat template' : 'estimated at ~4 characters a token (the server counts its own)';
  return (
    <div className={`preflight${failing > 0 ? ' preflight-warn' : ''}`} data-testid="run-preflight" data-state="done" data-over={r.overBudget} role="status">
      <p data-testid="run-preflight-summary">
        {r.budget === null
          ? `${plural(r.checked, 'prompt')} rendered; the server checks them against its own context.`
          : r.overBudget === 0
            ? `All ${plural(r.checked, 'prompt')} fit: at most ${formatCount(r.budget)} prompt tokens (context ${formatCount(r.contextSize ?? 0)} − ${formatCount(r.maxTokens)} to answer).`
            : `${formatCount(r.overBudget)} of ${plural(r.checked, 'prompt')} do not fit: the budget is ${formatCount(r.budget)} prompt tokens (context ${formatCount(r.contextSize ?? 0)} − ${formatCount(r.maxTokens)} to answer).`}
      </p>
      {r.largest && (
        <p className="muted" data-testid="run-preflight-largest">
          Largest: item #{r.largest.index ?? '?'} of {r.largest.task}, {formatCount(r.largest.promptTokens)} tokens
          {r.budget !== null ? ` vs ${formatCount(r.budget)}` : ''} ({how}).
        </p>
      )}
      {r.renderErrors > 0 && (
        <p className="field-error">
          {plural(r.renderErrors, 'prompt')} did not render: {r.firstRenderError}
        </p>
      )}
      {failing > 0 && (
        <p data-testid="run-preflight-advice">
          With “Long prompts: fail the item” those items fail. Raise the context size, lower max tokens, or choose a way to cut long prompts (each item then
          records what was cut); or start anyway.
        </p>
      )}
      {cut > 0 && <p>{plural(cut, 'prompt')} will be cut to fit, as “Long prompts” says; each item records what was cut.</p>}
    </div>
  );
}

function matches(task: TaskSummary, filter: string): boolean {
  if (!filter) return true;
  const needle = filter.toLowerCase();
  return `${task.benchmark}/${task.name}`.toLowerCase().includes(needle) || (task.category?.toLowerCase().includes(needle) ?? false);
}

function NewRunForm({ from }: { from: { runId: number; name: string; spec: RunSpec } | null }) {
  const closeDialog = useRuns.getState().closeDialog;
  const [duplicated] = useState(() => (from ? formFromSpec(from.spec) : null));
  const [form, setForm] = useState<RunForm>(() => {
    if (duplicated) return duplicated.form;
    const openTask = useLibrary.getState().openTaskId;
    const base = lastForm ?? initialRunForm();
    return lastForm ? { ...base, name: '' } : { ...base, taskIds: openTask !== null ? [openTask] : [] };
  });
  const [preflight, setPreflight] = useState<Preflight | null>(null);
  /** Said when picking a task reset the config it lacks. */
  const [configNote, setConfigNote] = useState<string | null>(null);
  const [tasks, setTasks] = useState<TaskSummary[] | null>(null);
  const [tasksError, setTasksError] = useState<ApiErrorData | null>(null);
  const [filter, setFilter] = useState('');
  const [attempted, setAttempted] = useState(false);
  const [serverFields, setServerFields] = useState<RunErrors>({});
  const [serverRest, setServerRest] = useState<ApiErrorData | null>(null);
  const [sending, setSending] = useState(false);
  /** The template JSON as edited by hand; null while it follows the Prompt fields. */
  const [editedTemplate, setEditedTemplate] = useState<string | null>(() =>
    duplicated ? (duplicated.template ? templateText(duplicated.template) : null) : lastForm ? lastTemplate : null,
  );
  const formRef = useRef<HTMLFormElement>(null);
  const filterRef = useRef<HTMLInputElement>(null);
  /** The library model or configuration last picked ('' none). */
  const [picked, setPicked] = useState('');
  const modelList = useModels((s) => s.list);
  const modelConfigs = useModels((s) => s.configs);
  const modelsError = useModels((s) => s.listError ?? s.configsError);
  useEffect(() => {
    const models = useModels.getState();
    if (models.list === null) void models.refreshList();
    if (models.configs === null) void models.refreshConfigs();
  }, []);
  const choices = modelChoices(modelList, modelConfigs);

  const loadTasks = () => {
    setTasksError(null);
    getClient()
      .listTasks({})
      .then((list) => {
        setTasks(list);
        // Tasks removed since the last run was set up cannot be chosen again.
        setForm((f) => ({ ...f, taskIds: f.taskIds.filter((id) => list.some((t) => t.id === id)) }));
      })
      .catch((err: unknown) => setTasksError(toErrorData(err)));
  };
  useEffect(loadTasks, []);

  const local = validateRunForm(form);
  const errors: RunErrors = { ...serverFields, ...local };
  const shown = (name: RunField): string | undefined => (attempted ? errors[name] : serverFields[name]);

  const set = <K extends keyof RunForm>(name: K, value: RunForm[K]) => {
    setForm((f) => ({ ...f, [name]: value }));
    // The engine's word on a field no longer holds once the field changed.
    setServerFields((e) => {
      if (!(name in e)) return e;
      const next = { ...e };
      delete next[name];
      return next;
    });
  };
  const toggleTask = (id: number) => {
    setForm((f) => {
      const adding = !f.taskIds.includes(id);
      const taskIds = adding ? [...f.taskIds, id] : f.taskIds.filter((t) => t !== id);
      // A config the newly picked task lacks would fail the run: back to automatic, and say so.
      const task = tasks?.find((t) => t.id === id);
      if (adding && task && f.config !== '' && !task.splits.some((sp) => sp.config === f.config)) {
        setConfigNote(`${task.name} has no ${f.config} split: config set back to automatic.`);
        return { ...f, taskIds, config: '' };
      }
      return { ...f, taskIds };
    });
    setServerFields((e) => {
      const next = { ...e };
      delete next.tasks;
      return next;
    });
  };

  const shownTemplate = editedTemplate ?? templateText(formTemplate(form));

  const pickModel = (key: string) => {
    setPicked(key);
    const choice = choices.find((c) => choiceKey(c) === key);
    if (!choice) return;
    const patch = formFromChoice(choice);
    setForm((f) => ({ ...f, ...patch }));
    setServerFields((e) => {
      const next = { ...e };
      for (const k of Object.keys(patch)) delete next[k as RunField];
      return next;
    });
  };
  // The pick is shown only while the fields still say what it put there: once a path or setting is
  // typed over, the run is no longer that configuration.
  const pickedChoice = choices.find((c) => choiceKey(c) === picked);
  const pickHolds =
    pickedChoice !== undefined &&
    Object.entries(formFromChoice(pickedChoice)).every(([k, v]) => JSON.stringify(form[k as keyof RunForm]) === JSON.stringify(v));

  const submit = async () => {
    if (sending) return;
    setAttempted(true);
    setServerRest(null);
    if (Object.keys(local).length > 0) {
      const first = Object.keys(local)[0];
      formRef.current?.querySelector<HTMLElement>(`[name="${first}"]`)?.focus();
      return;
    }
    const template = editedTemplate !== null ? parseTemplate(editedTemplate) : null;
    if (template && !template.ok) {
      // The inline error under the editor says what is wrong.
      formRef.current?.querySelector<HTMLElement>('[data-testid="template-editor"] textarea')?.focus();
      return;
    }
    const spec = toRunSpec(form, template?.value);
    const key = JSON.stringify(spec);
    // First Start of these settings: check the prompts; go ahead at once when none would fail.
    // A second Start of the same settings after a warning starts anyway.
    if (preflight?.spec !== key || preflight.state === 'checking') {
      if (!(await checkPrompts(spec, key))) return;
    }
    setSending(true);
    try {
      lastForm = form;
      lastTemplate = editedTemplate;
      await useRuns.getState().create(spec);
    } catch (err) {
      const data = toErrorData(err);
      const { fields, rest } = engineErrors(data, form);
      setServerFields(fields);
      setServerRest(rest.length > 0 ? { ...data, message: rest.join('; ') } : null);
      const first = Object.keys(fields)[0];
      if (first) formRef.current?.querySelector<HTMLElement>(`[name="${first}"]`)?.focus();
    } finally {
      setSending(false);
    }
  };

  /** Runs the pre-flight check; true when the run can start without a word (no item would fail). */
  const checkPrompts = async (spec: RunSpec, key: string): Promise<boolean> => {
    setPreflight({ state: 'checking', spec: key, items: itemTotal });
    try {
      const result = await getClient().preflightRun(spec);
      setPreflight((p) => (p?.spec === key ? { state: 'done', spec: key, result } : p));
      return preflightFailures(result) === 0;
    } catch (err) {
      const data = toErrorData(err);
      // Settings the boundary refuses (a range, a missing field) show at their fields, as the run's
      // own refusal would. Anything else (a model the check cannot read) is said above the buttons,
      // and Start goes ahead: the run then fails with its own, resumable, error.
      const { fields } = data.issues?.length ? engineErrors(data, form) : { fields: {} };
      if (Object.keys(fields).length > 0) {
        setPreflight(null);
        setServerFields(fields);
        formRef.current?.querySelector<HTMLElement>(`[name="${Object.keys(fields)[0]}"]`)?.focus();
        return false;
      }
      setPreflight((p) => (p?.spec === key ? { state: 'failed', spec: key, error: data } : p));
      return false;
    }
  };
  const checkOnly = () => {
    setAttempted(true);
    if (Object.keys(local).length > 0) return;
    const template = editedTemplate !== null ? parseTemplate(editedTemplate) : null;
    if (template && !template.ok) return;
    const spec = toRunSpec(form, template?.value);
    void checkPrompts(spec, JSON.stringify(spec));
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void submit();
  };

  // Ctrl+Enter (Cmd+Enter) starts the run from anywhere in the dialog, the template editor included;
  // a plain Enter in the template editor is a newline, not the dialog's Enter.
  const onFormKeyDown = (event: KeyboardEvent<HTMLFormElement>) => {
    if (event.key !== 'Enter' || event.nativeEvent.isComposing) return;
    if ((event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey) {
      event.preventDefault();
      event.stopPropagation();
      void submit();
    } else if (event.target instanceof Element && event.target.closest('[data-testid="template-editor"]')) {
      event.stopPropagation();
    }
  };

  const field = (name: RunField, label: ReactNode, control: ReactNode, hint?: ReactNode, wide = false) => (
    <FormField
      htmlFor={`run-${name}`}
      label={label}
      error={shown(name)}
      errorId={`run-${name}-error`}
      errorField={name}
      hint={hint}
      className={wide ? 'wide' : undefined}
    >
      {control}
    </FormField>
  );

  const text = (name: keyof RunForm, testId: string, placeholder?: string, mono = false) => (
    <input
      id={`run-${name}`}
      name={name}
      data-testid={testId}
      className={mono ? 'text-input mono' : 'text-input'}
      type="text"
      spellCheck={false}
      autoComplete="off"
      placeholder={placeholder}
      value={form[name] as string}
      aria-invalid={shown(name) ? true : undefined}
      aria-describedby={shown(name) ? `run-${name}-error` : undefined}
      onChange={(e) => set(name, e.target.value as RunForm[typeof name])}
    />
  );

  const select = <K extends keyof RunForm>(name: K, testId: string, options: readonly { value: string; label: string; disabled?: boolean }[]) => (
    <select
      id={`run-${name}`}
      name={name}
      data-testid={testId}
      className="text-input"
      value={form[name] as string}
      onChange={(e) => {
        set(name, e.target.value as RunForm[K]);
        if (name === 'config') setConfigNote(null);
      }}
    >
      {options.map((o) => (
        <option key={o.value} value={o.value} disabled={o.disabled && form[name] !== o.value}>
          {o.label}
        </option>
      ))}
    </select>
  );

  const visible = (tasks ?? []).filter((t) => matches(t, filter.trim()));
  const chosen = (tasks ?? []).filter((t) => form.taskIds.includes(t.id));
  const count = Number(form.count);
  let itemTotal = 0;
  const unavailable: string[] = [];
  for (const t of chosen) {
    const s = chosenSplit(t, form.config, form.split);
    if (!s) unavailable.push(t.name);
    else itemTotal += form.selectionMode === 'all' || !Number.isFinite(count) || count <= 0 ? s.itemCount : Math.min(s.itemCount, count);
  }
  const strategyHint = STRATEGIES.find((s) => s.value === form.strategy)?.hint;
  const currentKey = (() => {
    const template = editedTemplate !== null ? parseTemplate(editedTemplate) : null;
    return Object.keys(local).length === 0 && (!template || template.ok) ? JSON.stringify(toRunSpec(form, template?.value)) : null;
  })();

  return (
    <Dialog
      title={from ? `New run from “${from.name}”` : 'New run'}
      testId="run-dialog"
      className="run-dialog"
      onClose={closeDialog}
      onEnter={() => void submit()}
      initialFocus={filterRef}
      returnFocusId="run-new"
    >
      <form ref={formRef} className="mapping-form run-form" onSubmit={onSubmit} onKeyDown={onFormKeyDown} noValidate>
        <fieldset className={`form-group tasks-group${shown('tasks') ? ' invalid' : ''}`}>
          <legend>
            Tasks <span className="required">*</span>
          </legend>
          <div className="task-picker">
            <input
              ref={filterRef}
              className="text-input"
              type="search"
              data-testid="run-task-filter"
              placeholder="Filter tasks (Enter picks the first match)"
              aria-label="Filter tasks"
              value={filter}
              onChange={(e) => setFilter(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter' && !e.nativeEvent.isComposing) {
                  e.preventDefault();
                  e.stopPropagation();
                  const first = visible[0];
                  if (first) toggleTask(first.id);
                }
              }}
            />
            {tasksError && <ErrorNote error={tasksError} onRetry={loadTasks} />}
            {tasks === null && !tasksError && <p className="pane-note">Loading tasks…</p>}
            {tasks !== null && tasks.length === 0 && <p className="pane-note">The library is empty: import a benchmark first.</p>}
            <div className="task-options" role="group" aria-label="Tasks" data-testid="run-task-options">
              {visible.map((t) => (
                <label key={t.id} className="task-option" data-testid="run-task-option" data-task={t.name}>
                  <input type="checkbox" name="tasks" checked={form.taskIds.includes(t.id)} onChange={() => toggleTask(t.id)} />
                  <span className="task-option-name">{t.name}</span>
                  <span className="muted">{t.benchmark}</span>
                  <span className="row-count">{formatCount(t.itemCount)}</span>
                </label>
              ))}
              {tasks !== null && tasks.length > 0 && visible.length === 0 && <p className="pane-note">No task matches the filter.</p>}
            </div>
            {shown('tasks') && (
              <span className="field-error" data-testid="field-error" data-field="tasks" role="alert">
                {shown('tasks')}
              </span>
            )}
          </div>
          <div className="task-side">
            {field(
              'config',
              'Config',
              select('config', 'run-config', [
                { value: '', label: 'automatic' },
                ...TASK_CONFIGS.map((c: TaskConfig) => {
                  const lacking = chosen.filter((t) => !t.splits.some((sp) => sp.config === c));
                  return { value: c, label: lacking.length ? `${c} (not in ${lacking.map((t) => t.name).join(', ')})` : c, disabled: lacking.length > 0 };
                }),
              ]),
              configNote ?? undefined,
            )}
            {field('split', 'Split', select('split', 'run-split', SPLIT_CHOICES))}
            {field('selectionMode', 'Items', select('selectionMode', 'run-selection-mode', SELECTION_CHOICES))}
            {form.selectionMode !== 'all' && field('count', 'N', text('count', 'run-limit', 'items per task'))}
            <p className="run-selection-summary" data-testid="run-selection-summary">
              {chosen.length === 0 ? 'No task chosen.' : `${plural(chosen.length, 'task')} · ${plural(itemTotal, 'item')}`}
              {chosen.map((t) => {
                const s = chosenSplit(t, form.config, form.split);
                return (
                  <span key={t.id} className="run-split-line">
                    {t.name}: {s ? `${s.config} ${s.split} · ${formatCount(s.itemCount)}` : 'no such split'}
                  </span>
                );
              })}
              {unavailable.length > 0 && <span className="field-error">Pick another config or split for {unavailable.join(', ')}.</span>}
            </p>
          </div>
        </fieldset>

        <fieldset className="form-group">
          <legend>Model</legend>
          <div className="form-field wide segmented" role="radiogroup" aria-label="Model kind">
            {(['local', 'remote'] as const).map((k) => (
              <label key={k} className="radio">
                <input type="radio" name="modelKind" data-testid={`run-model-${k}`} checked={form.modelKind === k} onChange={() => set('modelKind', k)} />
                {k === 'local' ? 'Local GGUF' : 'Remote OpenAI-compatible server'}
              </label>
            ))}
          </div>
          {form.modelKind === 'local' ? (
            <>
              <FormField
                htmlFor="run-library-model"
                label="From the library"
                className="wide"
                error={modelsError?.message}
                errorId="run-library-model-error"
                errorField="libraryModel"
                hint={
                  choices.length === 0
                    ? 'nothing in the library yet: add models in the Models view, or type a path'
                    : 'fills the fields below; a configuration brings its adapters and settings'
                }
              >
                <select
                  id="run-library-model"
                  data-testid="run-library-model"
                  className="text-input"
                  value={pickHolds ? picked : ''}
                  onChange={(e) => pickModel(e.target.value)}
                >
                  <option value="">{pickedChoice && !pickHolds ? 'edited by hand' : 'none: type a path'}</option>
                  {(
                    [
                      ['config', 'Configurations'],
                      ['model', 'Models'],
                    ] as const
                  ).map(([kind, label]) =>
                    choices.some((c) => c.kind === kind) ? (
                      <optgroup key={kind} label={label}>
                        {choices
                          .filter((c) => c.kind === kind)
                          .map((c) => (
                            <option key={choiceKey(c)} value={choiceKey(c)}>
                              {choiceLabel(c)}
                            </option>
                          ))}
                      </optgroup>
                    ) : null,
                  )}
                </select>
              </FormField>
              {field(
                'modelPath',
                <>
                  Model file <span className="required">*</span>
                </>,
                text('modelPath', 'run-model-path', '/models/model.gguf', true),
                'a path on the engine’s machine',
                true,
              )}
              {field('loraPath', 'LoRA adapter', text('loraPath', 'run-lora-path', 'optional .gguf adapter', true))}
              {field('loraScale', 'LoRA scale', text('loraScale', 'run-lora-scale', '1'))}
              {form.extraLoras.length > 0 && (
                <div className="form-field wide" data-testid="run-extra-loras">
                  <span className="form-caption">Also applied (from the configuration)</span>
                  <ul className="extra-loras">
                    {form.extraLoras.map((l, i) => (
                      <li key={`${l.path}#${i}`}>
                        <span className="mono" title={l.path}>
                          {l.path.split(/[\\/]/).pop()}
                        </span>{' '}
                        ×{l.scale}{' '}
                        <button
                          type="button"
                          className="button"
                          onClick={() =>
                            set(
                              'extraLoras',
                              form.extraLoras.filter((_, j) => j !== i),
                            )
                          }
                        >
                          Remove
                        </button>
                      </li>
                    ))}
                  </ul>
                </div>
              )}
              {field('gpuLayers', 'GPU layers', text('gpuLayers', 'run-gpu-layers', 'auto'))}
              {field('threads', 'Threads', text('threads', 'run-threads', 'automatic'))}
              {field('contextSize', 'Context size', text('contextSize', 'run-context-size', 'automatic'))}
              {field('batchSize', 'Batch size', text('batchSize', 'run-batch-size', 'automatic'))}
              {field('flashAttention', 'Flash attention', select('flashAttention', 'run-flash-attention', FLASH_CHOICES))}
              {field(
                'chatTemplate',
                'Chat template',
                select('chatTemplate', 'run-chat-template', CHAT_TEMPLATE_CHOICES),
                form.strategy === 'raw' ? 'not used: the raw strategy sends plain text' : undefined,
              )}
              {field(
                'truncate',
                'Long prompts',
                select('truncate', 'run-truncate', TRUNCATE_CHOICES),
                'over the context (or the budget): each item records what was cut',
              )}
              {field(
                'maxPromptTokens',
                'Prompt budget',
                text('maxPromptTokens', 'run-max-prompt-tokens', 'context − max tokens'),
                'MedS-Bench’s eval.py: 2048, cut the end',
              )}
              {form.chatTemplate === 'jinja' &&
                field(
                  'chatTemplateJinja',
                  'Jinja template',
                  <textarea
                    id="run-chatTemplateJinja"
                    name="chatTemplateJinja"
                    data-testid="run-chat-template-jinja"
                    className="text-input mono"
                    rows={3}
                    spellCheck={false}
                    value={form.chatTemplateJinja}
                    onChange={(e) => set('chatTemplateJinja', e.target.value)}
                  />,
                  undefined,
                  true,
                )}
            </>
          ) : (
            <>
              {field(
                'remoteUrl',
                <>
                  Server URL <span className="required">*</span>
                </>,
                text('remoteUrl', 'run-remote-url', 'http://127.0.0.1:8080', true),
                undefined,
                true,
              )}
              {field(
                'remoteModel',
                <>
                  Model name <span className="required">*</span>
                </>,
                text('remoteModel', 'run-remote-model', 'e.g. llama-3-8b'),
              )}
              {field(
                'apiKeyEnv',
                'API key variable',
                text('apiKeyEnv', 'run-api-key-env', 'e.g. OPENAI_API_KEY'),
                'read from the engine’s environment; never stored',
              )}
              {field(
                'remoteTimeout',
                'Timeout (s)',
                text('remoteTimeout', 'run-remote-timeout', '300'),
                'per attempt; a timed-out request is retried with backoff',
              )}
            </>
          )}
          {field('parallel', form.modelKind === 'local' ? 'Parallel sequences' : 'Concurrent requests', text('parallel', 'run-parallel', '1'))}
        </fieldset>

        <fieldset className="form-group">
          <legend>Prompt</legend>
          {field(
            'strategy',
            'Strategy',
            select(
              'strategy',
              'run-strategy',
              STRATEGIES.map((s) => ({ value: s.value, label: s.label })),
            ),
            strategyHint,
          )}
          {field('shots', 'Shots (k)', text('shots', 'run-shots', 'strategy default'))}
          {field('seed', 'Seed', text('seed', 'run-seed', '0'), 'examples, sampling and decoding')}
          {field('variant', 'Instruction variant', text('variant', 'run-variant', '0'), '0 original; n the n-th paraphrase')}
          {field('promptMode', 'MedS-Bench prompts', select('promptMode', 'run-prompt-mode', PROMPT_MODE_CHOICES))}
        </fieldset>

        <TemplateSection
          text={shownTemplate}
          edited={editedTemplate !== null}
          onText={(t) => setEditedTemplate(t)}
          onReset={() => setEditedTemplate(null)}
          onSubmit={() => void submit()}
          taskId={form.taskIds[0] ?? null}
          config={form.config}
          split={form.split}
        />

        <fieldset className="form-group">
          <legend>Decoding and scoring</legend>
          {field('maxTokens', 'Max tokens', text('maxTokens', 'run-max-tokens', '256'))}
          {field('temperature', 'Temperature', text('temperature', 'run-temperature', '0'), '0 = greedy')}
          {field('metricMode', 'Metric mode', select('metricMode', 'run-metric-mode', METRIC_MODE_CHOICES))}
          {field('name', 'Run name', text('name', 'run-name', 'automatic'))}
        </fieldset>

        {Object.keys(form.decodingExtra).length > 0 && (
          <p className="muted" data-testid="run-decoding-extra">
            Also kept from the run:{' '}
            {Object.entries(form.decodingExtra)
              .map(([k, v]) => `${k} ${JSON.stringify(v)}`)
              .join(', ')}{' '}
            <button type="button" className="link-button" onClick={() => set('decodingExtra', {})}>
              Drop
            </button>
          </p>
        )}
        {preflight && <PreflightNote check={preflight} />}
        {serverRest && <ErrorNote error={serverRest} testId="run-dialog-error" />}
        <DialogButtons enter="start" cancelTestId="run-dialog-cancel" onCancel={closeDialog}>
          <button type="button" className="button" data-testid="run-preflight-check" disabled={sending || preflight?.state === 'checking'} onClick={checkOnly}>
            Check prompts
          </button>
          <button type="submit" className="button primary" data-testid="run-create" disabled={sending || preflight?.state === 'checking'}>
            {sending
              ? 'Starting…'
              : preflight?.state === 'checking'
                ? 'Checking prompts…'
                : preflight && preflight.spec === currentKey && (preflight.state === 'failed' || preflightFailures(preflight.result) > 0)
                  ? 'Start anyway'
                  : 'Start run'}
          </button>
        </DialogButtons>
      </form>
    </Dialog>
  );
}
