/**
 * The load-settings fields (GPU layers, threads, batch, flash attention, memory-map) as one group:
 * the runtime panel and the Playground edit the same settings with it, so they read and check alike.
 */
import type { LoadSettingsErrors, LoadSettingsForm } from '../lib/loadSettings';
import { FormField } from './FormField';

interface LoadSettingsFieldsProps {
  form: LoadSettingsForm;
  errors: LoadSettingsErrors;
  onChange(patch: Partial<LoadSettingsForm>): void;
  /** Said under the fields: who uses which setting. */
  hint: string;
}

type TextField = 'gpuLayers' | 'threads' | 'batchSize';

/** One text field's own words: its label, its name in the error line, a title explaining the empty value, its input mode. */
const TEXT_FIELDS: readonly { name: TextField; id: string; label: string; inError: string; title?: string; numeric: boolean }[] = [
  { name: 'gpuLayers', id: 'load-gpu-layers', label: 'GPU layers', inError: 'GPU layers', numeric: false },
  {
    name: 'threads',
    id: 'load-threads',
    label: 'Threads',
    inError: 'threads',
    title: 'Empty: auto, the physical cores not busy with other programs when the model loads, fewer for small models',
    numeric: true,
  },
  { name: 'batchSize', id: 'load-batch-size', label: 'Batch', inError: 'batch', numeric: true },
];

export function LoadSettingsFields({ form, errors, onChange, hint }: LoadSettingsFieldsProps) {
  const said = TEXT_FIELDS.filter((f) => errors[f.name]).map((f) => `${f.inError}: ${errors[f.name]}`);
  return (
    <div className="load-settings" role="group" aria-label="Load settings">
      {TEXT_FIELDS.map((f) => (
        <FormField key={f.name} htmlFor={f.id} label={f.label} className={`inline${errors[f.name] ? ' invalid' : ''}`}>
          <input
            id={f.id}
            data-testid={f.id}
            className="text-input narrow"
            type="text"
            inputMode={f.numeric ? 'numeric' : undefined}
            spellCheck={false}
            autoComplete="off"
            value={form[f.name]}
            placeholder="auto"
            title={f.title}
            aria-invalid={errors[f.name] ? true : undefined}
            onChange={(e) => onChange({ [f.name]: e.target.value })}
          />
        </FormField>
      ))}
      <FormField htmlFor="load-flash-attention" label="Flash attention" className="inline">
        <select
          id="load-flash-attention"
          data-testid="load-flash-attention"
          className="text-input narrow"
          value={form.flashAttention}
          onChange={(e) => onChange({ flashAttention: e.target.value as LoadSettingsForm['flashAttention'] })}
        >
          <option value="">auto</option>
          <option value="on">on</option>
          <option value="off">off</option>
        </select>
      </FormField>
      <FormField htmlFor="load-mmap" label="Weights" className="inline">
        <select
          id="load-mmap"
          data-testid="load-mmap"
          className="text-input choice"
          title="auto: read into RAM for CPU work when the model leaves most memory free (full speed through long runs), else memory-mapped. In RAM: slower to load, nothing paged from disk while generating."
          value={form.mmap}
          onChange={(e) => onChange({ mmap: e.target.value as LoadSettingsForm['mmap'] })}
        >
          <option value="">auto</option>
          <option value="ram">in RAM</option>
          <option value="mapped">memory-mapped</option>
        </select>
      </FormField>
      <span className="field-hint">{hint}</span>
      {said.length > 0 && (
        <span className="field-error" role="alert" data-testid="load-settings-error">
          {said.join(' · ')}
        </span>
      )}
    </div>
  );
}
