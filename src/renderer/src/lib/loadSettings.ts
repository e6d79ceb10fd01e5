/**
 * The load settings a form edits as text, named once: the runtime panel (whose values the
 * Playground uses too) and the new-run dialog share these fields, how a saved configuration's
 * settings fill them, and how checked values become the engine's settings.
 */
import type { ModelLoadSettings } from '../../../shared/models';

export interface LoadSettingsForm {
  gpuLayers: string;
  threads: string;
  batchSize: string;
  /** '' = the model's default (auto). */
  flashAttention: '' | 'on' | 'off';
  /** Where the weights live: '' = the engine chooses (in RAM for CPU work when it fits), 'mapped', 'ram'. */
  mmap: '' | 'mapped' | 'ram';
}

/** The fields every load-settings form has; a form that needs no memory-map choice (a run) takes these. */
export type LoadSettingsFields = Pick<LoadSettingsForm, 'gpuLayers' | 'threads' | 'batchSize' | 'flashAttention'>;

export interface ParsedLoadSettings {
  gpuLayers: 'auto' | 'max' | number;
  threads: number | undefined;
  batchSize: number | undefined;
  flashAttention: boolean | undefined;
  /** undefined: the engine chooses. */
  mmap: boolean | undefined;
}

export type LoadSettingsErrors = Partial<Record<keyof LoadSettingsForm, string>>;

function wholeNumber(text: string): number | null {
  return /^\d+$/.test(text) ? Number(text) : null;
}

export function parseGpuLayers(text: string): 'auto' | 'max' | number | null {
  const t = text.trim().toLowerCase();
  if (t === '' || t === 'auto') return 'auto';
  if (t === 'max') return 'max';
  const n = wholeNumber(t);
  return n !== null && n <= 100_000 ? n : null;
}

/** Empty means "not set"; otherwise a whole number in [min, max]. */
export function parseOptionalInt(text: string, min: number, max: number): number | undefined | null {
  const t = text.trim();
  if (t === '') return undefined;
  const n = wholeNumber(t);
  return n !== null && n >= min && n <= max ? n : null;
}

export function checkLoadSettings(form: LoadSettingsForm): { value: ParsedLoadSettings | null; errors: LoadSettingsErrors } {
  const errors: LoadSettingsErrors = {};
  const gpuLayers = parseGpuLayers(form.gpuLayers);
  if (gpuLayers === null) errors.gpuLayers = 'auto, max, or a whole number of layers';
  const threads = parseOptionalInt(form.threads, 1, 256);
  if (threads === null) errors.threads = 'empty (automatic) or 1–256';
  const batchSize = parseOptionalInt(form.batchSize, 1, 1_048_576);
  if (batchSize === null) errors.batchSize = 'empty (automatic) or a whole number of tokens';
  if (gpuLayers === null || threads === null || batchSize === null) return { value: null, errors };
  const flashAttention = form.flashAttention === '' ? undefined : form.flashAttention === 'on';
  const mmap = form.mmap === '' ? undefined : form.mmap === 'mapped';
  return { value: { gpuLayers, threads, batchSize, flashAttention, mmap }, errors };
}

/** A saved configuration's settings as the form's text; `auto` is what the form shows for the automatic GPU layers. */
export function loadSettingsFields(s: ModelLoadSettings, auto: '' | 'auto'): LoadSettingsFields {
  return {
    gpuLayers: s.gpuLayers === 'auto' ? auto : String(s.gpuLayers),
    threads: s.threads !== undefined ? String(s.threads) : '',
    batchSize: s.batchSize !== undefined ? String(s.batchSize) : '',
    flashAttention: s.flashAttention === undefined ? '' : s.flashAttention ? 'on' : 'off',
  };
}

/** Checked values as the engine's settings, leaving out each one that is the engine's default. */
export function loadSettingsRequest(value: ParsedLoadSettings): Partial<Pick<ModelLoadSettings, 'gpuLayers' | 'threads' | 'batchSize' | 'flashAttention'>> {
  return {
    ...(value.gpuLayers !== 'auto' ? { gpuLayers: value.gpuLayers } : {}),
    ...(value.threads !== undefined ? { threads: value.threads } : {}),
    ...(value.batchSize !== undefined ? { batchSize: value.batchSize } : {}),
    ...(value.flashAttention !== undefined ? { flashAttention: value.flashAttention } : {}),
  };
}
