import { useRef, useState, type FormEvent, type ReactNode, type Ref } from 'react';
import type { ImportPreview, ImportPreviewEntry, SplitName, TaskConfig } from '../../../../shared/domain';
import { TASK_CONFIGS } from '../../../../shared/domain';
import { SPLIT_PREFERENCE } from '../../../../shared/enums';
import { toErrorData, type ApiErrorData } from '../../../../shared/errors';
import { getClient } from '../../client/current';
import { lateAnswerGuard } from '../../lib/lateAnswer';
import { parsePaths } from '../../lib/parsePaths';
import { fileStem, joinPaths } from '../../lib/paths';
import { useImporter, type ColumnMapping, type ImportRequest, type ImportTarget } from './importerStore';
import { Dialog } from '../../ui/Dialog';
import { DialogButtons } from '../../ui/DialogButtons';
import { ErrorNote } from '../../ui/ErrorNote';
import { FormField } from '../../ui/FormField';
import { PreviewTable, PreviewTotalsLine } from './PreviewTable';

const BENCHMARK_KEY = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const MAX_COLUMN = 200;
const MAX_INSTRUCTION = 20_000;

interface Form {
  paths: string;
  input: string;
  output: string;
  instruction: string;
  history: string;
  id: string;
  benchmark: string;
  task: string;
  split: SplitName;
  config: TaskConfig;
  fixedInstruction: string;
}

type FieldName = keyof Form;
type TextField = Exclude<FieldName, 'split' | 'config'>;
type Errors = Partial<Record<FieldName, string>>;

function initialForm(request: ImportRequest | null): Form {
  const m = request?.mapping;
  const t = request?.target;
  return {
    paths: request ? joinPaths(request.paths) : '',
    input: m?.input ?? '',
    output: m?.output ?? '',
    instruction: m?.instruction ?? '',
    history: m?.history ?? '',
    id: m?.id ?? '',
    benchmark: t?.benchmark ?? 'custom',
    task: t?.task ?? '',
    split: t?.split ?? 'test',
    config: t?.config ?? 'default',
    fixedInstruction: t?.instruction ?? '',
  };
}

function validate(form: Form): Errors {
  const errors: Errors = {};
  if (parsePaths(form.paths).length === 0) errors.paths = 'Enter at least one file or folder path.';
  for (const name of ['input', 'output'] as const) {
    if (form[name].trim() === '') errors[name] = `Required: the column that holds the ${name}.`;
  }
  for (const name of ['input', 'output', 'instruction', 'history', 'id'] as const) {
    if (form[name].trim().length > MAX_COLUMN) errors[name] = `At most ${MAX_COLUMN} characters.`;
  }
  const benchmark = form.benchmark.trim();
  if (benchmark !== '' && !BENCHMARK_KEY.test(benchmark)) {
    errors.benchmark = 'Lower-case letters, digits, ".", "_" or "-", starting with a letter or digit (at most 64).';
  }
  if (form.task.trim().length > MAX_COLUMN) errors.task = `At most ${MAX_COLUMN} characters.`;
  if (form.fixedInstruction.length > MAX_INSTRUCTION) errors.fixedInstruction = `At most ${MAX_INSTRUCTION.toLocaleString('en-US')} characters.`;
  return errors;
}

function toRequest(form: Form): ImportRequest {
  const mapping: ColumnMapping = { input: form.input.trim(), output: form.output.trim() };
  for (const name of ['instruction', 'history', 'id'] as const) {
    const column = form[name].trim();
    if (column !== '') mapping[name] = column;
  }
  const target: ImportTarget = { split: form.split, config: form.config };
  const benchmark = form.benchmark.trim();
  if (benchmark !== '') target.benchmark = benchmark;
  const task = form.task.trim();
  if (task !== '') target.task = task;
  if (form.fixedInstruction.trim() !== '') target.instruction = form.fixedInstruction;
  return { paths: parsePaths(form.paths), mapping, target };
}

/** Opened from an "unknown layout" error: says which columns hold what, then previews or imports. */
export function MappingDialog() {
  const open = useImporter((s) => s.mappingOpen);
  if (!open) return null;
  return <MappingForm />;
}

function MappingForm() {
  const { closeMapping, importNow } = useImporter.getState();
  const [form, setForm] = useState<Form>(() => initialForm(useImporter.getState().lastRequest));
  /** Fields edited and then left: their errors show before the first Preview or Import. */
  const [touched, setTouched] = useState<Partial<Record<FieldName, boolean>>>({});
  const [dirty, setDirty] = useState<Partial<Record<FieldName, boolean>>>({});
  const [attempted, setAttempted] = useState(false);
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [previewError, setPreviewError] = useState<ApiErrorData | null>(null);
  const [previewing, setPreviewing] = useState(false);
  /** A preview of settings since changed is dropped when it answers. */
  const [previewAnswer] = useState(lateAnswerGuard);
  const formRef = useRef<HTMLFormElement>(null);
  const inputRef = useRef<HTMLInputElement>(null);

  const errors = validate(form);
  const valid = Object.keys(errors).length === 0;
  const shown = (name: FieldName) => (attempted || touched[name] ? errors[name] : undefined);
  const paths = parsePaths(form.paths);
  const stem = paths.length === 1 && paths[0] ? fileStem(paths[0]) : 'the file name';

  const set = <K extends FieldName>(name: K, value: Form[K]) => {
    setForm((f) => ({ ...f, [name]: value }));
    setDirty((d) => (d[name] ? d : { ...d, [name]: true }));
    // A preview of other settings would mislead: drop it once anything changes.
    previewAnswer.invalidate();
    setPreview(null);
    setPreviewError(null);
    setPreviewing(false);
  };

  /** Shows the first invalid field; true when the form can be sent. */
  // Leaving an untouched field says nothing yet (and a message appearing under it on the way
  // to a button would move that button away from the pointer).
  const leave = (name: FieldName) => {
    if (dirty[name]) setTouched((t) => ({ ...t, [name]: true }));
  };

  const check = (): boolean => {
    setAttempted(true);
    if (valid) return true;
    const first = Object.keys(errors)[0];
    if (first) formRef.current?.querySelector<HTMLElement>(`[name="${first}"]`)?.focus();
    return false;
  };

  const runPreview = async () => {
    if (!check()) return;
    const isLatest = previewAnswer.start();
    setPreviewing(true);
    setPreviewError(null);
    setPreview(null);
    try {
      const result = await getClient().previewImport(toRequest(form));
      if (!isLatest()) return;
      setPreview(result);
    } catch (err) {
      if (!isLatest()) return;
      setPreviewError(toErrorData(err));
    } finally {
      if (isLatest()) setPreviewing(false);
    }
  };

  const runImport = () => {
    if (!check()) return;
    void importNow(toRequest(form));
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    runImport();
  };

  const field = (name: FieldName, label: ReactNode, control: ReactNode, hint?: ReactNode) => (
    <FormField htmlFor={`map-${name}`} label={label} error={shown(name)} errorId={`map-${name}-error`} hint={hint}>
      {control}
    </FormField>
  );

  const text = (name: TextField, placeholder?: string, ref?: Ref<HTMLInputElement>) => (
    <input
      ref={ref}
      id={`map-${name}`}
      name={name}
      data-testid={`map-${name}`}
      className="text-input"
      type="text"
      spellCheck={false}
      autoComplete="off"
      placeholder={placeholder}
      value={form[name]}
      aria-invalid={shown(name) ? true : undefined}
      aria-describedby={shown(name) ? `map-${name}-error` : undefined}
      onChange={(e) => set(name, e.target.value)}
      onBlur={() => leave(name)}
    />
  );

  return (
    <Dialog title="Map columns" testId="mapping-dialog" className="mapping-dialog" onClose={closeMapping} initialFocus={inputRef} returnFocusId="import-paths">
      <form ref={formRef} className="mapping-form" onSubmit={submit} noValidate>
        <p className="dialog-lead">
          The file is in no published layout. Name the columns (or JSON keys) that hold each part of a record; every file in these paths is read the same way.
        </p>
        {field(
          'paths',
          'Files',
          <textarea
            id="map-paths"
            name="paths"
            data-testid="map-paths"
            className="text-input mono"
            rows={1}
            spellCheck={false}
            value={form.paths}
            aria-invalid={shown('paths') ? true : undefined}
            aria-describedby={shown('paths') ? 'map-paths-error' : undefined}
            onChange={(e) => set('paths', e.target.value)}
            onBlur={() => leave('paths')}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
                e.preventDefault();
                formRef.current?.requestSubmit();
              }
            }}
          />,
        )}
        <fieldset className="form-group">
          <legend>Columns</legend>
          {field(
            'input',
            <>
              Input <span className="required">*</span>
            </>,
            text('input', 'e.g. question', inputRef),
          )}
          {field(
            'output',
            <>
              Output <span className="required">*</span>
            </>,
            text('output', 'e.g. answer'),
          )}
          {field('instruction', 'Instruction', text('instruction', 'optional'))}
          {field('history', 'History', text('history', 'optional'), 'pairs of [user, assistant] turns')}
          {field('id', 'Id', text('id', 'optional'))}
        </fieldset>
        <fieldset className="form-group">
          <legend>Import into</legend>
          {field('benchmark', 'Benchmark', text('benchmark', 'custom'))}
          {field('task', 'Task', text('task', stem), paths.length > 1 ? 'empty: each file’s name' : undefined)}
          {field(
            'split',
            'Split',
            <select
              id="map-split"
              name="split"
              data-testid="map-split"
              className="text-input"
              value={form.split}
              onChange={(e) => set('split', e.target.value as SplitName)}
            >
              {SPLIT_PREFERENCE.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>,
          )}
          {field(
            'config',
            'Config',
            <select
              id="map-config"
              name="config"
              data-testid="map-config"
              className="text-input"
              value={form.config}
              onChange={(e) => set('config', e.target.value as TaskConfig)}
            >
              {TASK_CONFIGS.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>,
          )}
          {field(
            'fixedInstruction',
            'Instruction text',
            <textarea
              id="map-fixedInstruction"
              name="fixedInstruction"
              data-testid="map-fixed-instruction"
              className="text-input"
              rows={2}
              value={form.fixedInstruction}
              aria-invalid={shown('fixedInstruction') ? true : undefined}
              aria-describedby={shown('fixedInstruction') ? 'map-fixedInstruction-error' : undefined}
              onChange={(e) => set('fixedInstruction', e.target.value)}
            />,
            form.instruction.trim() !== '' ? 'the instruction column is used instead' : 'the same for every record (optional)',
          )}
        </fieldset>
        <div className="mapping-preview" data-testid="mapping-preview" aria-live="polite">
          {previewing && <p className="pane-note">Reading…</p>}
          {previewError && <ErrorNote error={previewError} testId="mapping-error" />}
          {preview && (
            <>
              <PreviewTable preview={preview} />
              <PreviewTotalsLine preview={preview} />
              <SampleRecords entry={preview.entries.find((e) => e.sample.length > 0)} />
            </>
          )}
        </div>
        <DialogButtons enter="import" cancelTestId="mapping-cancel" onCancel={closeMapping}>
          <button type="button" className="button" data-testid="mapping-preview-button" disabled={previewing} onClick={() => void runPreview()}>
            Preview
          </button>
          <button type="submit" className="button primary" data-testid="mapping-import">
            Import
          </button>
        </DialogButtons>
      </form>
    </Dialog>
  );
}

/** The first records as the mapping reads them: the user checks the columns by eye before importing. */
function SampleRecords({ entry }: { entry: ImportPreviewEntry | undefined }) {
  if (!entry) return null;
  return (
    <table className="mapping-sample" data-testid="mapping-sample">
      <caption className="muted">First records as they will be stored</caption>
      <thead>
        <tr>
          <th>Instruction</th>
          <th>Input</th>
          <th>Output</th>
        </tr>
      </thead>
      <tbody>
        {entry.sample.map((r, i) => (
          <tr key={i} data-testid="mapping-sample-row">
            <td data-field="instruction">{r.instruction || <span className="muted">(none)</span>}</td>
            <td data-field="input">{r.input}</td>
            <td data-field="output">{r.output}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
