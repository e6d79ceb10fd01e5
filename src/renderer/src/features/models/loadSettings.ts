/** The load settings typed into the runtime panel, checked before they go to the engine. */
export interface LoadSettingsForm {
  gpuLayers: string;
  threads: string;
  batchSize: string;
  /** '' = the model's default (auto). */
  flashAttention: '' | 'on' | 'off';
  /** Memory-map the file (the default); unticked reads the weights into RAM. */
  mmap: boolean;
}

export interface ParsedLoadSettings {
  gpuLayers: 'auto' | 'max' | number;
  threads: number | undefined;
  batchSize: number | undefined;
  flashAttention: boolean | undefined;
  mmap: boolean;
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
  return { value: { gpuLayers, threads, batchSize, flashAttention, mmap: form.mmap }, errors };
}
