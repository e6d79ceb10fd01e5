/**
 * Importing benchmarks: the paths typed, the preview and column mapping asked for first, the running
 * import's progress samples, cancellation, and the outcome; a finished import refreshes the Library.
 */
import { create } from 'zustand';
import type { CallInput } from '../../../../shared/contract';
import type { ImportPreview, ImportProgress, ImportResult } from '../../../../shared/domain';
import { toErrorData, type ApiErrorData } from '../../../../shared/errors';
import { getClient } from '../../client/current';
import { lateAnswerGuard } from '../../lib/lateAnswer';
import { newImportId } from '../../lib/newId';
import { addSample, totals, type ProgressSample } from './progressStats';
import { parsePaths } from '../../lib/parsePaths';
import { useLibrary } from '../library/libraryStore';

export type ImportStatus = 'idle' | 'running' | 'done' | 'failed';

/** What to import: the paths, and for files in no published layout a column mapping and target. */
export type ImportRequest = CallInput<'previewImport'>;
export type ColumnMapping = NonNullable<ImportRequest['mapping']>;
export type ImportTarget = NonNullable<ImportRequest['target']>;

/** A preview waiting for the user to confirm or cancel it. */
export interface PendingPreview {
  request: ImportRequest;
  result: ImportPreview;
}

/** The engine could not tell what the file holds: a column mapping can say it instead. */
export function isUnknownLayout(error: ApiErrorData | null): boolean {
  const layout = error?.details?.layout;
  return error !== null && error.code === 'import_failed' && (layout === 'unknown' || layout === 'unknown-in-folder');
}

/** The unknown file was found inside a folder the user named: skipping such files lets the rest import. */
export function isSkippableUnknown(error: ApiErrorData | null): boolean {
  return error !== null && error.code === 'import_failed' && error.details?.layout === 'unknown-in-folder';
}

interface ImporterState {
  text: string;
  status: ImportStatus;
  importId: string | null;
  /** Latest progress per file, in the order the files started. */
  files: ImportProgress[];
  /** Running totals at each progress event (recent ones only), for the rate and ETA. */
  samples: ProgressSample[];
  /** performance.now() when the import started and when it settled. */
  startedAt: number | null;
  endedAt: number | null;
  cancelling: boolean;
  result: ImportResult | null;
  error: ApiErrorData | null;
  /** A previewImport call is in flight. */
  previewing: boolean;
  /** The preview shown in the confirm dialog; null when the dialog is closed. */
  preview: PendingPreview | null;
  /** What the last preview or import asked for, so a failure can be retried with a column mapping. */
  lastRequest: ImportRequest | null;
  mappingOpen: boolean;

  setText(text: string): void;
  /** Previews the paths in the box; the import itself starts when the preview is confirmed. */
  run(): Promise<void>;
  requestPreview(request: ImportRequest): Promise<void>;
  /** Stops waiting for a preview that takes too long (the engine finishes reading, unseen). */
  abandonPreview(): void;
  confirmPreview(): Promise<void>;
  closePreview(): void;
  /** Imports without a preview step (the column-mapping dialog has its own preview). */
  importNow(request: ImportRequest): Promise<void>;
  openMapping(): void;
  closeMapping(): void;
  /** Imports the small demo pack shipped with the engine. */
  runDemo(): Promise<void>;
  cancel(): Promise<void>;
  dismiss(): void;
  /** Listens for progress events; returns the unsubscribe. */
  listen(): () => void;
}

type Starter = (importId: string) => Promise<ImportResult>;

/** An answer for an older (or abandoned) preview request is dropped. */
const previewAnswer = lateAnswerGuard();

/** Nothing shown in the bar: no progress, result or error. */
const settled = {
  status: 'idle',
  files: [],
  samples: [],
  startedAt: null,
  endedAt: null,
  result: null,
  error: null,
} satisfies Partial<ImporterState>;

export const useImporter = create<ImporterState>()((set, get) => ({
  text: '',
  status: 'idle',
  importId: null,
  files: [],
  samples: [],
  startedAt: null,
  endedAt: null,
  cancelling: false,
  result: null,
  error: null,
  previewing: false,
  preview: null,
  lastRequest: null,
  mappingOpen: false,

  setText(text) {
    set({ text });
  },

  async run() {
    if (get().status === 'running' || get().previewing) return;
    const paths = parsePaths(get().text);
    if (paths.length === 0) {
      set({
        status: 'failed',
        result: null,
        files: [],
        samples: [],
        startedAt: null,
        endedAt: null,
        error: { code: 'invalid_input', message: 'Enter at least one file or folder path to import.' },
      });
      return;
    }
    await get().requestPreview({ paths });
  },

  async requestPreview(request) {
    if (get().status === 'running') return;
    const isLatest = previewAnswer.start();
    // The bar shows the current attempt: an older result or error would only confuse.
    set({ ...settled, previewing: true, preview: null, lastRequest: request });
    try {
      const result = await getClient().previewImport(request);
      if (!isLatest()) return;
      set({ previewing: false, preview: { request, result } });
    } catch (err) {
      if (!isLatest()) return;
      set({ previewing: false, status: 'failed', error: toErrorData(err) });
    }
  },

  abandonPreview() {
    previewAnswer.invalidate();
    set({ previewing: false });
  },

  async confirmPreview() {
    const pending = get().preview;
    if (!pending || get().status === 'running') return;
    set({ preview: null });
    await get().importNow(pending.request);
  },

  closePreview() {
    set({ preview: null });
  },

  async importNow(request) {
    if (get().status === 'running') return;
    set({ lastRequest: request, mappingOpen: false });
    await execute((importId) => getClient().importPaths({ ...request, importId }));
  },

  openMapping() {
    if (get().status === 'running') return;
    set({ mappingOpen: true, preview: null });
  },

  closeMapping() {
    set({ mappingOpen: false });
  },

  async runDemo() {
    if (get().status === 'running') return;
    await execute((importId) => getClient().importDemo({ importId }));
  },

  async cancel() {
    const { status, importId } = get();
    if (status !== 'running' || importId === null) return;
    set({ cancelling: true });
    try {
      await getClient().cancelImport({ importId });
      // The pending importPaths call rejects once the rollback finishes; that settles the state.
    } catch (err) {
      set({ cancelling: false, error: toErrorData(err) });
    }
  },

  dismiss() {
    if (get().status === 'running') return;
    set({ ...settled });
  },

  listen() {
    return getClient().on('importProgress', (progress) => {
      const { status, importId } = get();
      if (status !== 'running' || progress.importId !== importId) return;
      set((s) => {
        const at = s.files.findIndex((f) => f.file === progress.file);
        const files = s.files.slice();
        if (at === -1) files.push(progress);
        else files[at] = progress;
        const sum = totals(files);
        const samples = addSample(s.samples, { t: performance.now(), rows: sum.rows, bytes: sum.bytesRead });
        return { files, samples };
      });
    });
  },
}));

/** The run/settle/refresh sequence shared by path imports and the demo pack. */
async function execute(start: Starter): Promise<void> {
  const importId = newImportId();
  const startedAt = performance.now();
  useImporter.setState({
    status: 'running',
    importId,
    files: [],
    samples: [{ t: startedAt, rows: 0, bytes: 0 }],
    startedAt,
    endedAt: null,
    cancelling: false,
    result: null,
    error: null,
  });
  let result: ImportResult;
  try {
    result = await start(importId);
  } catch (err) {
    useImporter.setState({ status: 'failed', error: toErrorData(err), cancelling: false, endedAt: performance.now() });
    return;
  }
  useImporter.setState({ status: 'done', result, cancelling: false, endedAt: performance.now() });
  await useLibrary.getState().refreshAfterImport(result);
}
